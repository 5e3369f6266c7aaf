using System.Text.Json;
using Closely.BuildingBlocks.Hosting;
using Closely.Cases.Persistence;
using Closely.Cases.Saga;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Closely.Cases.Telemetry;

/// <summary>Counts the open and overdue cases every <c>Cases:MetricsRefreshInterval</c> for <see cref="CaseMetrics"/>.</summary>
public sealed partial class CaseMetricsRefresher(
    IServiceScopeFactory scopes,
    CaseMetrics metrics,
    IOptions<CasesOptions> options,
    TimeProvider clock,
    ILogger<CaseMetricsRefresher> logger) : PeriodicBackgroundService(options.Value.MetricsRefreshInterval, clock)
{
    private readonly string[] _closedStates = [.. CaseStates.Closed];

    /// <summary>Counts the cases now and hands the counts to the gauges.</summary>
    public async Task RefreshAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CasesDbContext>();
        var now = Clock.GetUtcNow();
        var groups = await db.Cases.AsNoTracking()
            .Where(c => !_closedStates.Contains(c.CurrentState))
            .GroupBy(c => new { c.CurrentState, c.Right })
            .Select(g => new { g.Key.CurrentState, g.Key.Right, Open = g.Count(), Overdue = g.Count(c => c.DueAt < now) })
            .ToListAsync(cancellationToken);

        var open = new Dictionary<(string, string), int>();
        var overdue = new Dictionary<(string, string), int>();
        foreach (var group in groups)
        {
            var key = (JsonNamingPolicy.KebabCaseLower.ConvertName(group.CurrentState), JsonNamingPolicy.KebabCaseLower.ConvertName(group.Right.ToString()));
            open[key] = group.Open;
            if (group.Overdue > 0)
            {
                overdue[key] = group.Overdue;
            }
        }

        metrics.Update(new CaseCounts(open, overdue));
    }

    protected override Task RunPassAsync(CancellationToken cancellationToken) => RefreshAsync(cancellationToken);

    protected override void OnPassFailed(Exception exception) => LogRefreshFailed(exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Counting the cases for the gauges failed; the gauges keep the last counts until the next pass")]
    private partial void LogRefreshFailed(Exception exception);
}
