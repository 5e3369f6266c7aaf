using Closely.Contracts;
using MassTransit;
using Closely.BuildingBlocks.Hosting;
using Microsoft.Extensions.Options;

namespace Closely.DataLocator.Packages;

/// <summary>
/// Every <see cref="PackageOptions.PurgeInterval"/>: deletes each package whose link has expired and publishes
/// <see cref="DataPackagePurged"/>, which the case records; deletes the parts of a case that never got a package once
/// they are older than a link's lifetime. A purge already recorded in the package's record is not published again.
/// </summary>
public sealed partial class PackagePurger(
    PackageStore packages,
    IServiceScopeFactory scopes,
    TimeProvider time,
    IOptions<PackageOptions> options,
    ILogger<PackagePurger> logger) : PeriodicBackgroundService(options.Value.PurgeInterval, time)
{
    /// <summary>One pass over the package store; returns how many packages it purged.</summary>
    public async Task<int> PurgeExpiredAsync(CancellationToken cancellationToken)
    {
        var purged = 0;
        var now = Clock.GetUtcNow();
        foreach (var (caseId, lastWrite) in packages.Cases())
        {
            var record = await packages.ReadRecordAsync(caseId, cancellationToken);
            if (record is null)
            {
                if (lastWrite + options.Value.LinkLifetime <= now)
                {
                    packages.DeleteParts(caseId);
                }

                continue;
            }

            if (record.PurgedAt is not null || record.ExpiresAt > now)
            {
                continue;
            }

            record = await packages.PurgeAsync(record, now, cancellationToken);
            using var scope = scopes.CreateScope();
            await scope.ServiceProvider.GetRequiredService<IPublishEndpoint>().Publish(
                new DataPackagePurged { CaseId = caseId, PackageId = record.PackageId, PurgedAt = record.PurgedAt!.Value }, cancellationToken);
            LogPurged(caseId, record.PackageId);
            purged++;
        }

        return purged;
    }

    protected override Task RunPassAsync(CancellationToken cancellationToken) => PurgeExpiredAsync(cancellationToken);

    protected override void OnPassFailed(Exception exception) => LogPurgeFailed(exception);

    [LoggerMessage(Level = LogLevel.Information, Message = "Case {CaseId}: package {PackageId} purged, its link having expired")]
    private partial void LogPurged(Guid caseId, Guid packageId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Purging expired packages failed; trying again at the next interval")]
    private partial void LogPurgeFailed(Exception exception);
}
