using Closely.BuildingBlocks.Messaging;
using Closely.BuildingBlocks.Privacy;
using Closely.Contracts;
using Closely.Stores.Operations;
using Closely.Stores.Registry;
using MassTransit;
using Npgsql;
using Polly.CircuitBreaker;

namespace Closely.ErasureExecutor.Erasure;

/// <summary>
/// Carries out one action in one store — erase, restrict, lift a restriction, rectify, or erase what a legal hold kept
/// once it ended — through that store's resilience
/// pipeline, then publishes <see cref="StoreActionCompleted"/> and the action's downstream event
/// (<see cref="SubjectErased"/>, <see cref="SubjectRestricted"/>, <see cref="SubjectRestrictionLifted"/>,
/// <see cref="SubjectRectified"/>); when the
/// pipeline gives up it publishes <see cref="StoreActionFailed"/> instead (the case saga retries the store later).
/// </summary>
/// <remarks>
/// Exactly once per case, store and action: the effect and its record commit together in the store's own
/// ledger (<see cref="StoreOperations"/>, ADR 12). A duplicate command — a redelivery, or the saga's
/// re-send after a lost reply — erases nothing more and publishes the recorded result again, with the
/// recorded row count, subject hashes and time. Killed before the store commits, nothing is done and
/// the redelivered command does it; killed after, the redelivery finds the record and re-publishes.
/// </remarks>
public sealed partial class ExecuteStoreActionConsumer(
    StoreRegistry registry,
    StoreOperations stores,
    StorePipelines pipelines,
    PersonalDataProtector protector,
    Microsoft.Extensions.Options.IOptions<ErasureResilienceOptions> resilience,
    TimeProvider time,
    ErasureMetrics metrics,
    ILogger<ExecuteStoreActionConsumer> logger) : IConsumer<ExecuteStoreAction>
{
    public async Task Consume(ConsumeContext<ExecuteStoreAction> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var message = context.Message;
        if (message.Action is not (StoreActionKind.Erase or StoreActionKind.Restrict or StoreActionKind.LiftRestriction or StoreActionKind.EraseHeld or StoreActionKind.Rectify))
        {
            await FailAsync(context, $"ErasureExecutor does not carry out {message.Action} in the stores; the DPO does it by hand");
            return;
        }

        if (message.Action == StoreActionKind.Restrict && message.Ground is null)
        {
            throw new PermanentFailureException($"Case {message.CaseId}: a restriction needs its Art 18(1) ground");
        }

        if (message.Action == StoreActionKind.Rectify && message.SealedCorrections is null)
        {
            throw new PermanentFailureException($"Case {message.CaseId}: a rectification needs its approved corrections");
        }

        var store = registry.Find(message.StoreId)
            ?? throw new PermanentFailureException($"Store {message.StoreId} is not in the store registry");
        var request = new StoreActionRequest(message.CaseId, new SubjectIdentifiers(Email: message.SubjectEmail(protector)));
        StoreActionRecord result;
        var started = time.GetTimestamp();
        try
        {
            result = await pipelines.For(store.Id).ExecuteAsync(
                async cancellationToken => message.Action switch
                {
                    StoreActionKind.Restrict => await stores.RestrictAsync(store, request, RestrictionGrounds.Name(message.Ground!.Value), cancellationToken),
                    StoreActionKind.LiftRestriction => await stores.LiftRestrictionAsync(store, request, cancellationToken),
                    StoreActionKind.EraseHeld => await stores.EraseHeldAsync(store, request, cancellationToken),
                    StoreActionKind.Rectify => await stores.RectifyAsync(store, request,
                        SealedCorrections.Open(protector, message.CaseId, SealedCorrections.Approved, message.SealedCorrections!), cancellationToken),
                    _ => await stores.EraseAsync(store, request, cancellationToken),
                },
                context.CancellationToken);
        }
        catch (Exception e) when (GaveUpReason(e, store.Id) is { } reason)
        {
            metrics.RecordDuration(store.Id, message.Action, time.GetElapsedTime(started), completed: false);
            await FailAsync(context, reason);
            return;
        }

        metrics.RecordDuration(store.Id, message.Action, time.GetElapsedTime(started), completed: true);
        if (result.Repeated)
        {
            LogRepeated(message.CaseId, message.Action, store.Id, result.RowsAffected);
        }
        else
        {
            LogDone(message.CaseId, message.Action, store.Id, result.RowsAffected, result.Ambiguous.Count);
        }

        await context.Publish(new StoreActionCompleted
        {
            CaseId = message.CaseId,
            StoreId = store.Id,
            Action = message.Action,
            RowsAffected = result.RowsAffected,
            CompletedAt = result.CompletedAt,
            Ambiguous = result.Ambiguous,
            Held = result.Held,
        });
        await PublishDownstreamAsync(context, result);
    }

    /// <summary>The action's event for downstream systems: hashes only, one per store and case (an erasure of held rows is an erasure).</summary>
    private static Task PublishDownstreamAsync(ConsumeContext<ExecuteStoreAction> context, StoreActionRecord result) => result.Action switch
    {
        StoreActionKind.Restrict => context.Publish(new SubjectRestricted
        {
            CaseId = result.CaseId,
            StoreId = result.StoreId,
            Subject = result.Subject,
            Ground = RestrictionGrounds.Name(context.Message.Ground!.Value),
            RowsAffected = result.RowsAffected,
            RestrictedAt = result.CompletedAt,
        }),
        StoreActionKind.LiftRestriction => context.Publish(new SubjectRestrictionLifted
        {
            CaseId = result.CaseId,
            StoreId = result.StoreId,
            Subject = result.Subject,
            RowsAffected = result.RowsAffected,
            LiftedAt = result.CompletedAt,
        }),
        StoreActionKind.Rectify => context.Publish(new SubjectRectified
        {
            CaseId = result.CaseId,
            StoreId = result.StoreId,
            Subject = result.Subject,
            Fields = result.Fields,
            RowsAffected = result.RowsAffected,
            RectifiedAt = result.CompletedAt,
        }),
        _ => context.Publish(new SubjectErased
        {
            CaseId = result.CaseId,
            StoreId = result.StoreId,
            Subject = result.Subject,
            RowsAffected = result.RowsAffected,
            ErasedAt = result.CompletedAt,
        }),
    };

    // Words for the DPO, naming the store; never the subject's data nor the server's address.
    private string? GaveUpReason(Exception exception, string storeId) => exception switch
    {
        BrokenCircuitException => $"store {storeId} is failing repeatedly (circuit open); it is tried again later",
        PostgresException postgres when !StorePipelines.IsTransient(postgres) => $"store {storeId} refused the action (SQLSTATE {postgres.SqlState})",
        _ when StorePipelines.IsTransient(exception) => $"store {storeId} unreachable after {resilience.Value.Attempts} attempts",
        StoreNotConfiguredException => $"store {storeId} has no connection configured",
        _ => null,
    };

    private async Task FailAsync(ConsumeContext<ExecuteStoreAction> context, string reason)
    {
        var message = context.Message;
        LogFailed(message.CaseId, message.Action, message.StoreId, reason);
        metrics.RecordFailure(message.StoreId, message.Action);
        await context.Publish(new StoreActionFailed
        {
            CaseId = message.CaseId,
            StoreId = message.StoreId,
            Action = message.Action,
            Reason = reason,
            FailedAt = time.GetUtcNow(),
        });
    }

    // Case and store only: never the subject's identifiers.
    [LoggerMessage(Level = LogLevel.Information, Message = "Case {CaseId}: {Action} done in store {StoreId}, {Rows} rows; {Ambiguous} ambiguous identifiers left to the DPO")]
    private partial void LogDone(Guid caseId, StoreActionKind action, string storeId, int rows, int ambiguous);

    [LoggerMessage(Level = LogLevel.Information, Message = "Case {CaseId}: {Action} was done in store {StoreId} before ({Rows} rows); publishing the recorded result again")]
    private partial void LogRepeated(Guid caseId, StoreActionKind action, string storeId, int rows);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Case {CaseId}: {Action} in store {StoreId} failed: {Reason}")]
    private partial void LogFailed(Guid caseId, StoreActionKind action, string storeId, string reason);
}
