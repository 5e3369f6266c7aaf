using System.Diagnostics;
using Closely.BuildingBlocks.Hosting;
using Closely.Cases.Persistence;
using Closely.Contracts;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Closely.Cases.Deadlines;

/// <summary>
/// Wakes cases whose next deadline has come: in one transaction it locks the due rows
/// (<c>FOR UPDATE SKIP LOCKED</c>, so several instances share the work and never take the same row),
/// publishes <see cref="DeadlineReached"/> for each, and moves their deadline <see cref="CasesOptions.DeadlineRetryInterval"/>
/// ahead. The saga then acts (reminder, escalation, re-sending a stuck step's command) and plans the next
/// deadline in its place; should it fail to (the message ends in an error queue), the deadline fires again.
/// </summary>
public sealed partial class DeadlineSweeper(
    IServiceScopeFactory scopes,
    IOptions<CasesOptions> options,
    TimeProvider clock,
    ILogger<DeadlineSweeper> logger) : PeriodicBackgroundService(options.Value.SweepInterval, clock)
{
    private const int BatchSize = 100;
    private static readonly ActivitySource Activity = new(Extensions.TelemetrySourceName);

    /// <summary>Fires every deadline due now; returns how many fired.</summary>
    public async Task<int> SweepOnceAsync(CancellationToken cancellationToken)
    {
        using var activity = Activity.StartActivity("cases.deadline-sweep");
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CasesDbContext>();
        var publisher = scope.ServiceProvider.GetRequiredService<IPublishEndpoint>();
        var now = Clock.GetUtcNow();

        var strategy = db.Database.CreateExecutionStrategy();
        var fired = await strategy.ExecuteAsync(async () =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var due = await db.Database.SqlQuery<DueDeadline>($"""
                SELECT correlation_id AS "CaseId", next_deadline_kind AS "Kind", next_deadline_at AS "At"
                FROM cases.case_sagas
                WHERE next_deadline_at <= {now}
                ORDER BY next_deadline_at
                LIMIT {BatchSize}
                FOR UPDATE SKIP LOCKED
                """).ToListAsync(cancellationToken);
            if (due.Count == 0)
            {
                return 0;
            }

            foreach (var deadline in due)
            {
                await publisher.Publish(new DeadlineReached
                {
                    CaseId = deadline.CaseId,
                    Kind = Enum.Parse<DeadlineKind>(deadline.Kind),
                    DeadlineAt = deadline.At,
                }, cancellationToken);
            }

            var ids = due.Select(d => d.CaseId).ToArray();
            var retryAt = now + options.Value.DeadlineRetryInterval;
            await db.Database.ExecuteSqlAsync($"""
                UPDATE cases.case_sagas SET next_deadline_at = {retryAt}, version = version + 1
                WHERE correlation_id = ANY({ids})
                """, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return due.Count;
        });

        activity?.SetTag("closely.deadlines.fired", fired);
        return fired;
    }

    protected override async Task RunPassAsync(CancellationToken cancellationToken)
    {
        var fired = await SweepOnceAsync(cancellationToken);
        if (fired > 0)
        {
            LogFired(fired);
        }
    }

    /// <summary>The next tick tries again; the rows stay due until a sweep commits.</summary>
    protected override void OnPassFailed(Exception exception) => LogSweepFailed(exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Deadline sweep fired {Count} deadlines")]
    private partial void LogFired(int count);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Deadline sweep failed; retrying on the next tick")]
    private partial void LogSweepFailed(Exception exception);

    private sealed record DueDeadline(Guid CaseId, string Kind, DateTimeOffset At);
}
