using Closely.BuildingBlocks.Privacy;
using Closely.Contracts;
using MassTransit;
using Microsoft.Extensions.Options;

namespace Closely.DataLocator.Packages;

/// <summary>
/// Builds the case's one package from the stores' parts (<see cref="PackageBuilder"/>), stores it encrypted, deletes
/// the parts and publishes <see cref="DataPackageReady"/>: counts, hash and the signed link, never the data. A repeated
/// command finds the package's record and publishes the same answer again.
/// </summary>
public sealed partial class AssembleDataPackageConsumer(
    PackageStore packages,
    PackageBuilder builder,
    DownloadLinks links,
    PersonalDataProtector protector,
    TimeProvider time,
    IOptions<PackageOptions> options,
    ILogger<AssembleDataPackageConsumer> logger) : IConsumer<AssembleDataPackage>
{
    public async Task Consume(ConsumeContext<AssembleDataPackage> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var message = context.Message;
        var record = await packages.ReadRecordAsync(message.CaseId, context.CancellationToken);
        if (record is null)
        {
            var parts = new List<StorePart>();
            foreach (var storeId in message.StoreIds)
            {
                if (await packages.ReadPartAsync(message.CaseId, storeId, context.CancellationToken) is { } part)
                {
                    parts.Add(part);
                }
            }

            var now = time.GetUtcNow();
            record = await packages.SavePackageAsync(
                message.CaseId,
                (stream, ct) => builder.WriteAsync(stream, message, parts, now, ct),
                (sha256, bytes) => new PackageRecord
                {
                    CaseId = message.CaseId,
                    PackageId = Guid.NewGuid(),
                    Reference = message.Reference,
                    Kind = message.Kind,
                    Language = message.Language,
                    Contents = [.. parts.SelectMany(p => p.Entities)],
                    StoresNotIncluded = [.. message.StoreIds.Except(parts.Select(p => p.StoreId))],
                    Sha256 = sha256,
                    Bytes = bytes,
                    CreatedAt = now,
                    ExpiresAt = now + options.Value.LinkLifetime,
                },
                context.CancellationToken);
            LogAssembled(message.CaseId, record.PackageId, record.Bytes);
        }

        await context.Publish(new DataPackageReady
        {
            CaseId = record.CaseId,
            PackageId = record.PackageId,
            Contents = record.Contents,
            Sha256 = record.Sha256,
            Bytes = record.Bytes,
            CreatedAt = record.CreatedAt,
            ExpiresAt = record.ExpiresAt,
            // A credential for the package: sealed (ADR 38).
            SealedDownloadUrl = BusSeal.Seal(protector, record.CaseId, BusSeal.DownloadUrl, links.Link(record).OriginalString),
        });
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Case {CaseId}: package {PackageId} assembled, {Bytes} bytes")]
    private partial void LogAssembled(Guid caseId, Guid packageId, long bytes);
}

public sealed class AssembleDataPackageConsumerDefinition : ConsumerDefinition<AssembleDataPackageConsumer>
{
    public AssembleDataPackageConsumerDefinition()
    {
        EndpointName = CommandQueues.AssembleDataPackage;
    }
}
