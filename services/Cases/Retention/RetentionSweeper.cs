using System.Diagnostics;
using Closely.BuildingBlocks.Hosting;
using Closely.Cases.Audit;
using Closely.Cases.Persistence;
using Closely.Cases.Saga;
using Closely.Contracts;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Closely.Cases.Retention;

/// <summary>
/// Every <see cref="RetentionOptions.SweepInterval"/>: finds the closed cases whose retention for the way they ended
/// has passed (ADR 36), publishes <see cref="CaseRetentionEnded"/> for each (Intake and Identity remove their copies),
/// then removes the case's personal data and the agent's written authority in one transaction with the audit entry
/// that says so. Publishing first means a failed save publishes again on the next pass, which the receivers take as
/// the same thing; a case the saga or the console saved meanwhile is left to the next pass.
/// </summary>
public sealed partial class RetentionSweeper(
    IServiceScopeFactory scopes,
    IOptions<RetentionOptions> options,
    TimeProvider clock,
    ILogger<RetentionSweeper> logger) : PeriodicBackgroundService(options.Value.SweepInterval, clock)
{
    private const int BatchSize = 100;
    private static readonly ActivitySource Activity = new(Extensions.TelemetrySourceName);

    /// <summary>One pass: removes the personal data of every case due now, at most a batch; returns how many.</summary>
    public async Task<int> SweepOnceAsync(CancellationToken cancellationToken)
    {
        using var activity = Activity.StartActivity("cases.retention-sweep");
        var retention = options.Value;
        var now = Clock.GetUtcNow();
        List<Guid> due;
        await using (var scope = scopes.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<CasesDbContext>();
            var completed = now - retention.Completed;
            var refused = now - retention.Refused;
            var rejected = now - retention.Rejected;
            var withdrawn = now - retention.Withdrawn;
            due = await db.Cases.AsNoTracking()
                // A case with a wake-up still planned (a legal hold's end, ADR 31) is not done with: its subject's
                // identifiers are still needed to erase the held rows.
                .Where(c => c.PersonalDataRemovedAt == null && c.ClosedAt != null && c.NextDeadlineAt == null)
                .Where(c => (c.CurrentState == CaseStates.Completed && c.ClosedAt <= completed)
                    || (c.CurrentState == CaseStates.Refused && c.ClosedAt <= refused)
                    || (c.CurrentState == CaseStates.Rejected && c.ClosedAt <= rejected)
                    || (c.CurrentState == CaseStates.Withdrawn && c.ClosedAt <= withdrawn))
                .OrderBy(c => c.ClosedAt)
                .Select(c => c.CorrelationId)
                .Take(BatchSize)
                .ToListAsync(cancellationToken);
        }

        var removed = 0;
        foreach (var caseId in due)
        {
            if (await RemoveAsync(caseId, now, cancellationToken))
            {
                removed++;
            }
        }

        activity?.SetTag("closely.retention.removed", removed);
        return removed;
    }

    private async Task<bool> RemoveAsync(Guid caseId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CasesDbContext>();
        var chain = scope.ServiceProvider.GetRequiredService<CaseAuditChain>();
        var saga = await db.Cases.SingleAsync(c => c.CorrelationId == caseId, cancellationToken);
        if (saga.PersonalDataRemovedAt is not null || saga.ClosedAt is not { } closedAt || saga.NextDeadlineAt is not null
            || options.Value.For(saga.CurrentState) is not { } retention)
        {
            return false;
        }

        await scope.ServiceProvider.GetRequiredService<IPublishEndpoint>().Publish(
            new CaseRetentionEnded { CaseId = caseId, ClosedAt = closedAt, EndedAt = now }, cancellationToken);

        saga.RemovePersonalData(now, retention);
        saga.Version++;
        var strategy = db.Database.CreateExecutionStrategy();
        try
        {
            await strategy.ExecuteAsync(async () =>
            {
                await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
                await db.AuthorityDocuments.Where(d => d.CaseId == caseId).ExecuteDeleteAsync(cancellationToken);
                await db.SaveWithAuditAsync(saga, chain, cancellationToken);
                await transaction.CommitAsync(cancellationToken);
            });
        }
        catch (DbUpdateConcurrencyException)
        {
            LogSavedMeanwhile(caseId);
            return false;
        }

        LogRemoved(caseId, saga.CurrentState);
        return true;
    }

    protected override async Task RunPassAsync(CancellationToken cancellationToken)
    {
        while (await SweepOnceAsync(cancellationToken) == BatchSize)
        {
            // A full batch: there may be more.
        }
    }

    /// <summary>The next tick tries again; a case is marked only when its removal committed.</summary>
    protected override void OnPassFailed(Exception exception) => LogSweepFailed(exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Case {CaseId}: retention after closing as {State} ended; personal data removed")]
    private partial void LogRemoved(Guid caseId, string state);

    [LoggerMessage(Level = LogLevel.Information, Message = "Case {CaseId} was saved meanwhile; its retention is handled on the next pass")]
    private partial void LogSavedMeanwhile(Guid caseId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Retention sweep failed; retrying on the next tick")]
    private partial void LogSweepFailed(Exception exception);
}
