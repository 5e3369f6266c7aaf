using Closely.Contracts;

namespace Closely.DataLocator.Packages;

/// <summary>
/// What the package store knows about a case's package, kept beside it unencrypted (ids, counts, times and the hash:
/// no personal data). It outlives the package: after the purge it says when the package went.
/// </summary>
public sealed record PackageRecord
{
    public required Guid CaseId { get; init; }

    public required Guid PackageId { get; init; }

    public required string Reference { get; init; }

    public required DataPackageKind Kind { get; init; }

    public required string Language { get; init; }

    public required IReadOnlyList<DataPackageEntry> Contents { get; init; }

    /// <summary>Stores the case named whose rows were not exported (e.g. marked done by hand): the summary page says so.</summary>
    public IReadOnlyList<string> StoresNotIncluded { get; init; } = [];

    public required string Sha256 { get; init; }

    public required long Bytes { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public required DateTimeOffset ExpiresAt { get; init; }

    public DateTimeOffset? PurgedAt { get; init; }
}

/// <summary>One store's exported part: rows per entity, written after the entities' files, so a part with it is whole.</summary>
public sealed record StorePart(string StoreId, IReadOnlyList<DataPackageEntry> Entities, IReadOnlyList<AmbiguousIdentifier> Ambiguous);
