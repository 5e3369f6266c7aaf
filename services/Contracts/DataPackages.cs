namespace Closely.Contracts;

/// <summary>What a data package answers: an access request (Art 15, every entity) or portability (Art 20, what the person provided).</summary>
public enum DataPackageKind
{
    Access,
    Portability,
}

/// <summary>
/// Export the subject's rows of one store into the case's package (DataLocator). Answered by
/// <see cref="StoreActionCompleted"/> or <see cref="StoreActionFailed"/> with <see cref="StoreActionKind.Export"/>;
/// the rows stay in DataLocator's package store, encrypted, and never travel on the bus.
/// </summary>
public record ExportStoreData
{
    public required Guid CaseId { get; init; }

    public required string StoreId { get; init; }

    public required DataPackageKind Kind { get; init; }

    /// <summary>The address the subject is searched by, sealed (<c>BusSeal.SubjectEmail</c>, ADR 38).</summary>
    public required byte[] SealedSubjectEmail { get; init; }
}

/// <summary>Every store has exported: build the case's one package (ZIP) from the stores' parts and make its download link.</summary>
public record AssembleDataPackage
{
    public required Guid CaseId { get; init; }

    public required string Reference { get; init; }

    public required DataPackageKind Kind { get; init; }

    /// <summary>The stores whose parts go into the package (those the case exported from).</summary>
    public required IReadOnlyList<string> StoreIds { get; init; }

    /// <summary>The case's language (ISO 639-1): the package's summary page and download page are written in it.</summary>
    public required string Language { get; init; }
}

/// <summary>
/// The case's package is built and stored encrypted. Carries its summary (counts, never content), its hash and
/// the signed link to its download page; a repeated <see cref="AssembleDataPackage"/> gets the same answer again.
/// </summary>
public record DataPackageReady
{
    public required Guid CaseId { get; init; }

    public required Guid PackageId { get; init; }

    /// <summary>Rows per store and entity in the package.</summary>
    public required IReadOnlyList<DataPackageEntry> Contents { get; init; }

    /// <summary>Lower-case hex SHA-256 of the ZIP file as the person downloads it.</summary>
    public required string Sha256 { get; init; }

    public required long Bytes { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>When the link stops working and the package is purged.</summary>
    public required DateTimeOffset ExpiresAt { get; init; }

    /// <summary>
    /// The signed link to the download page, sealed (<c>BusSeal.DownloadUrl</c>, ADR 38): a credential for the package,
    /// so it goes to the requester only.
    /// </summary>
    public required byte[] SealedDownloadUrl { get; init; }
}

public record DataPackageEntry
{
    public required string StoreId { get; init; }

    public required string Entity { get; init; }

    public required int Rows { get; init; }
}

/// <summary>The package was downloaded (the download page's POST): recorded on the case.</summary>
public record DataPackageDownloaded
{
    public required Guid CaseId { get; init; }

    public required Guid PackageId { get; init; }

    public required DateTimeOffset DownloadedAt { get; init; }
}

/// <summary>The package's link expired and the package was deleted from storage: recorded on the case.</summary>
public record DataPackagePurged
{
    public required Guid CaseId { get; init; }

    public required Guid PackageId { get; init; }

    public required DateTimeOffset PurgedAt { get; init; }
}
