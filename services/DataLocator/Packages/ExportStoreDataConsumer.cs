using Closely.BuildingBlocks.Privacy;
using Closely.Contracts;
using Closely.Stores.Operations;
using Closely.Stores.Registry;
using MassTransit;
using Npgsql;

namespace Closely.DataLocator.Packages;

/// <summary>
/// Exports the subject's rows of one store into the case's part in the package store (<see cref="PackageStore"/>) and
/// answers <see cref="StoreActionCompleted"/> with the row count, or <see cref="StoreActionFailed"/> when the store
/// cannot be read, which the case retries as for erasure. The rows never go on the bus. A repeated command exports
/// again and replaces the part, so it answers with the store as it is now.
/// </summary>
public sealed partial class ExportStoreDataConsumer(
    StoreRegistry registry,
    StoreOperations stores,
    PackageStore packages,
    PersonalDataProtector protector,
    TimeProvider time,
    ILogger<ExportStoreDataConsumer> logger) : IConsumer<ExportStoreData>
{
    public async Task Consume(ConsumeContext<ExportStoreData> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var message = context.Message;
        string reason;
        if (registry.Find(message.StoreId) is not { } store)
        {
            reason = $"store {message.StoreId} is not in the registry";
        }
        else
        {
            try
            {
                var part = await packages.ExportAsync(message.CaseId, store, message.Kind, new SubjectIdentifiers(Email: message.SubjectEmail(protector)), stores, context.CancellationToken);
                var rows = part.Entities.Sum(e => e.Rows);
                LogExported(message.CaseId, store.Id, rows);
                await context.Publish(new StoreActionCompleted
                {
                    CaseId = message.CaseId,
                    StoreId = store.Id,
                    Action = StoreActionKind.Export,
                    RowsAffected = rows,
                    CompletedAt = time.GetUtcNow(),
                    Ambiguous = part.Ambiguous,
                });
                return;
            }
            catch (Exception exception) when (exception is NpgsqlException or TimeoutException or StoreNotConfiguredException or PackageTooLargeException)
            {
                LogFailed(exception, message.CaseId, store.Id);
                reason = exception is PackageTooLargeException
                    ? $"store {store.Id} could not be exported: {exception.Message}"
                    : $"store {store.Id} could not be exported (unreachable)";
            }
        }

        await context.Publish(new StoreActionFailed
        {
            CaseId = message.CaseId,
            StoreId = message.StoreId,
            Action = StoreActionKind.Export,
            Reason = reason,
            FailedAt = time.GetUtcNow(),
        });
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Case {CaseId}: exported {Rows} rows of the subject from store {StoreId}")]
    private partial void LogExported(Guid caseId, string storeId, int rows);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Case {CaseId}: store {StoreId} could not be exported")]
    private partial void LogFailed(Exception exception, Guid caseId, string storeId);
}

public sealed class ExportStoreDataConsumerDefinition : ConsumerDefinition<ExportStoreDataConsumer>
{
    public ExportStoreDataConsumerDefinition()
    {
        EndpointName = CommandQueues.ExportStoreData;
    }
}
