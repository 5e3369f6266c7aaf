using Microsoft.Extensions.Options;

namespace Closely.Cases.Audit;

/// <summary>Writes an anchor when the latest is older than <see cref="AuditOptions.AnchorInterval"/> (at once on a first start), then waits for the next.</summary>
public sealed partial class AuditAnchorWriter(AuditAnchors anchors, IOptions<AuditOptions> options, TimeProvider clock, ILogger<AuditAnchorWriter> logger)
    : BackgroundService
{
    private static readonly TimeSpan RetryAfterFailure = TimeSpan.FromMinutes(5);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            var wait = RetryAfterFailure;
            try
            {
                await anchors.WriteAsync(onlyWhenDue: true, stoppingToken);
                var next = anchors.Latest()!.AnchoredAt + options.Value.AnchorInterval;
                wait = TimeSpan.FromTicks(Math.Max((next - clock.GetUtcNow()).Ticks, TimeSpan.FromSeconds(1).Ticks));
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                LogFailed(exception, RetryAfterFailure);
            }

            await Task.Delay(wait, clock, stoppingToken);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Writing the audit anchor failed; trying again in {Wait}")]
    private partial void LogFailed(Exception exception, TimeSpan wait);
}
