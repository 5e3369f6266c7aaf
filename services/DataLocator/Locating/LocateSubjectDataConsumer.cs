using Closely.BuildingBlocks.Privacy;
using Closely.Contracts;
using Closely.Stores.Operations;
using Closely.Stores.Registry;
using MassTransit;
using Npgsql;

namespace Closely.DataLocator.Locating;

/// <summary>
/// Finds the subject in every registered store and publishes <see cref="SubjectDataLocated"/> with
/// counts per store and entity, and the identifiers that were ambiguous there (entity and kind only).
/// Read-only, so a redelivery simply locates and publishes again.
/// </summary>
public sealed partial class LocateSubjectDataConsumer(
    StoreRegistry registry,
    StoreOperations stores,
    PersonalDataProtector protector,
    ILogger<LocateSubjectDataConsumer> logger) : IConsumer<LocateSubjectData>
{
    public async Task Consume(ConsumeContext<LocateSubjectData> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var message = context.Message;
        var subject = new SubjectIdentifiers(Email: message.SubjectEmail(protector));

        var findings = new List<StoreFindings>();
        foreach (var store in registry.Stores)
        {
            StoreFindings finding;
            try
            {
                var match = await stores.LocateAsync(store, subject, context.CancellationToken);
                finding = new StoreFindings
                {
                    StoreId = store.Id,
                    RowsPerEntity = match.RowsPerEntity,
                    Ambiguous = match.Ambiguous,
                    Fields = RectificationFields.All
                        .Where(f => store.Entities.Any(e => e.Fields.ContainsKey(f) && match.Rows[e.Name].Count > 0)).ToList(),
                };
                LogLocated(message.CaseId, store.Id, finding.TotalRows, finding.Ambiguous.Count);
            }
            catch (Exception exception) when (exception is NpgsqlException or TimeoutException or StoreNotConfiguredException)
            {
                // One store down must not hold up the others: the case goes on, and the store gets the
                // action anyway, whose retries decide whether it is really unreachable.
                LogUnreachable(exception, message.CaseId, store.Id);
                finding = new StoreFindings
                {
                    StoreId = store.Id,
                    RowsPerEntity = new Dictionary<string, int>(),
                    Reachable = false,
                    Problem = $"store {store.Id} could not be searched",
                };
            }

            findings.Add(finding);
        }

        await context.Publish(new SubjectDataLocated { CaseId = message.CaseId, Stores = findings });
    }

    // Case and store only: never the subject's identifiers.
    [LoggerMessage(Level = LogLevel.Information, Message = "Case {CaseId}: store {StoreId} holds {Rows} rows of the subject; {Ambiguous} ambiguous identifiers")]
    private partial void LogLocated(Guid caseId, string storeId, int rows, int ambiguous);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Case {CaseId}: store {StoreId} could not be searched")]
    private partial void LogUnreachable(Exception exception, Guid caseId, string storeId);
}
