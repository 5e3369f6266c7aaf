using Closely.BuildingBlocks.Messaging;
using Closely.Contracts;
using Closely.ErasureExecutor.Persistence;
using Closely.Stores.Operations;
using Closely.Stores.Registry;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Npgsql;
using Polly.CircuitBreaker;

namespace Closely.ErasureExecutor.Erasure;

/// <summary>
/// Erases the subject from one store, through that store's resilience pipeline, then publishes
/// <see cref="StoreActionCompleted"/> and <see cref="SubjectErased"/>; when the pipeline gives up it
/// publishes <see cref="StoreActionFailed"/> instead (the case saga retries the store later).
/// </summary>
/// <remarks>
/// Idempotency: the erase commits in the STORE database, the claim <c>{CaseId}:{StoreId}:erase</c> in
/// the PLATFORM database, so the two cannot share a transaction. The claim is taken after the erase
/// has committed, and the events leave (in-memory outbox) only after the claim:
/// a redelivery after the claim finds it and publishes nothing more; a redelivery before the claim
/// (the process died between erase and claim) erases again, finds 0 rows, claims and publishes. The
/// one window left: a crash after the claim but before the outbox sends loses the events; the saga's
/// step timeout then surfaces the case to the DPO.
/// </remarks>
public sealed partial class ExecuteStoreActionConsumer(
    StoreRegistry registry,
    StoreOperations stores,
    StorePipelines pipelines,
    ErasureExecutorDbContext db,
    Microsoft.Extensions.Options.IOptions<ErasureResilienceOptions> resilience,
    TimeProvider time,
    ErasureMetrics metrics,
    ILogger<ExecuteStoreActionConsumer> logger) : IConsumer<ExecuteStoreAction>
{
    public async Task Consume(ConsumeContext<ExecuteStoreAction> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var message = context.Message;
        if (message.Action != StoreActionKind.Erase)
        {
            await FailAsync(context, $"ErasureExecutor carries out Erase only; {message.Action} is not supported yet");
            return;
        }

        var store = registry.Find(message.StoreId)
            ?? throw new PermanentFailureException($"Store {message.StoreId} is not in the store registry");
        var key = $"{message.CaseId}:{store.Id}:erase";
        if (await db.ProcessedMessages.AnyAsync(m => m.Key == key, context.CancellationToken))
        {
            LogAlreadyErased(message.CaseId, store.Id);
            return;
        }

        var subject = new SubjectIdentifiers(Email: message.SubjectEmail);
        ErasureResult result;
        var started = time.GetTimestamp();
        try
        {
            result = await pipelines.For(store.Id).ExecuteAsync(
                async cancellationToken => await stores.EraseAsync(store, subject, cancellationToken),
                context.CancellationToken);
        }
        catch (Exception e) when (GaveUpReason(e, store.Id) is { } reason)
        {
            metrics.RecordDuration(store.Id, message.Action, time.GetElapsedTime(started), completed: false);
            await FailAsync(context, reason);
            return;
        }

        metrics.RecordDuration(store.Id, message.Action, time.GetElapsedTime(started), completed: true);

        if (!await db.TryClaimAsync(key, time.GetUtcNow(), context.CancellationToken))
        {
            LogAlreadyErased(message.CaseId, store.Id);
            return;
        }

        var rows = result.RowsAffected;
        LogErased(message.CaseId, store.Id, rows, result.Ambiguous.Count);
        var now = time.GetUtcNow();
        await context.Publish(new StoreActionCompleted
        {
            CaseId = message.CaseId,
            StoreId = store.Id,
            Action = StoreActionKind.Erase,
            RowsAffected = rows,
            CompletedAt = now,
            Ambiguous = result.Ambiguous,
        });
        await context.Publish(new SubjectErased
        {
            CaseId = message.CaseId,
            StoreId = store.Id,
            Subject = result.Subject,
            RowsAffected = rows,
            ErasedAt = now,
        });
    }

    // Words for the DPO, naming the store; never the subject's data nor the server's address.
    private string? GaveUpReason(Exception exception, string storeId) => exception switch
    {
        BrokenCircuitException => $"store {storeId} is failing repeatedly (circuit open); it is tried again later",
        PostgresException postgres when !StorePipelines.IsTransient(postgres) => $"store {storeId} refused the erasure (SQLSTATE {postgres.SqlState})",
        _ when StorePipelines.IsTransient(exception) => $"store {storeId} unreachable after {resilience.Value.Attempts} attempts",
        StoreNotConfiguredException => $"store {storeId} has no connection configured",
        _ => null,
    };

    private async Task FailAsync(ConsumeContext<ExecuteStoreAction> context, string reason)
    {
        var message = context.Message;
        LogFailed(message.CaseId, message.StoreId, reason);
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
    [LoggerMessage(Level = LogLevel.Information, Message = "Case {CaseId}: erased {Rows} rows in store {StoreId}; {Ambiguous} ambiguous identifiers left to the DPO")]
    private partial void LogErased(Guid caseId, string storeId, int rows, int ambiguous);

    [LoggerMessage(Level = LogLevel.Information, Message = "Case {CaseId}: store {StoreId} was erased before; nothing more to do")]
    private partial void LogAlreadyErased(Guid caseId, string storeId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Case {CaseId}: erasure in store {StoreId} failed: {Reason}")]
    private partial void LogFailed(Guid caseId, string storeId, string reason);
}
