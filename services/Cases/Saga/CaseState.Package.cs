using System.Globalization;
using Closely.Contracts;

namespace Closely.Cases.Saga;

// The access or portability package: what the case records of it (ADR 24).
public partial class CaseState
{
    /// <summary>The package the case answers with, once DataLocator has built it.</summary>
    public CasePackage? Package { get; set; }

    /// <summary>The kind of package the case's right is answered with, or null for a right carried out otherwise.</summary>
    public DataPackageKind? PackageKind => Right switch
    {
        DataSubjectRight.Access => DataPackageKind.Access,
        DataSubjectRight.Portability => DataPackageKind.Portability,
        _ => null,
    };

    public void RecordPackage(DataPackageReady message, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(message);
        var releasedBy = Package?.PackageId == message.PackageId ? Package.ReleasedBy : null;
        Package = new CasePackage
        {
            ReleasedBy = releasedBy,
            PackageId = message.PackageId,
            Kind = PackageKind ?? DataPackageKind.Access,
            Contents = [.. message.Contents],
            Sha256 = message.Sha256,
            Bytes = message.Bytes,
            CreatedAt = message.CreatedAt,
            ExpiresAt = message.ExpiresAt,
        };
        Record(now, CaseAudit.System, "package-ready", string.Create(CultureInfo.InvariantCulture,
            $"Package {message.PackageId} built: {message.Contents.Sum(c => c.Rows)} rows from {message.Contents.Select(c => c.StoreId).Distinct().Count()} stores, " +
            $"{message.Bytes} bytes, SHA-256 {message.Sha256}; the link expires at {message.ExpiresAt:O}."));
    }

    /// <summary>The DPO reviewed the held package and lets its link go out.</summary>
    public void ReleasePackage(string actor, string note, DateTimeOffset now)
    {
        Package!.ReleasedBy = actor;
        Record(now, actor, "package-released", $"Package {Package.PackageId} reviewed and released to the requester: {note}");
    }

    /// <summary>The email with the link is asked for now.</summary>
    public void DeliverPackage(DateTimeOffset now) => Package!.DeliveredAt = now;

    public void RecordPackageDownloaded(DataPackageDownloaded message, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (Package is not { } package || package.PackageId != message.PackageId || package.DownloadedAt is not null)
        {
            return;
        }

        package.DownloadedAt = message.DownloadedAt;
        Record(now, CaseAudit.System, "package-downloaded", string.Create(CultureInfo.InvariantCulture, $"Package {message.PackageId} downloaded at {message.DownloadedAt:O}."));
    }

    public void RecordPackagePurged(DataPackagePurged message, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (Package is not { } package || package.PackageId != message.PackageId || package.PurgedAt is not null)
        {
            return;
        }

        package.PurgedAt = message.PurgedAt;
        Record(now, CaseAudit.System, "package-purged", string.Create(CultureInfo.InvariantCulture, $"Package {message.PackageId} deleted from storage at {message.PurgedAt:O}, its link having expired."));
    }
}
