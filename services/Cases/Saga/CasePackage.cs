using Closely.Contracts;

namespace Closely.Cases.Saga;

/// <summary>
/// The access or portability package of a case, as the case knows it: ids, counts, hash and times, never the content
/// (which stays encrypted in DataLocator's package store until the link expires). Stored as JSON with the case.
/// </summary>
public class CasePackage
{
    public Guid PackageId { get; set; }

    public DataPackageKind Kind { get; set; }

    /// <summary>Rows per store and entity: what the DPO sees on the case page and the evidence export records.</summary>
    public List<DataPackageEntry> Contents { get; set; } = [];

    /// <summary>Lower-case hex SHA-256 of the ZIP the requester downloads.</summary>
    public string Sha256 { get; set; } = "";

    public long Bytes { get; set; }

    public DateTimeOffset CreatedAt { get; set; }

    public DateTimeOffset ExpiresAt { get; set; }

    /// <summary>The DPO who released a package held for review (<see cref="CasesOptions.HoldDataPackagesForReview"/>).</summary>
    public string? ReleasedBy { get; set; }

    /// <summary>When the email with the link was sent.</summary>
    public DateTimeOffset? DeliveredAt { get; set; }

    /// <summary>When the requester first downloaded it.</summary>
    public DateTimeOffset? DownloadedAt { get; set; }

    public DateTimeOffset? PurgedAt { get; set; }
}
