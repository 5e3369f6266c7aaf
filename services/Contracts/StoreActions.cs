namespace Closely.Contracts;

public enum StoreActionKind
{
    Erase,
    Restrict,
    LiftRestriction,
    Rectify,

    /// <summary>The subject's rows are copied into the case's data package (access, portability); nothing changes in the store.</summary>
    Export,

    /// <summary>
    /// The rows an erasure kept under a legal hold (Art 17(3)) are erased once the hold has ended, and their entries leave the
    /// store's restriction list (ADR 31).
    /// </summary>
    EraseHeld,
}

/// <summary>Carry out one action for one case in one store.</summary>
public record ExecuteStoreAction
{
    public required Guid CaseId { get; init; }

    public required string StoreId { get; init; }

    public required StoreActionKind Action { get; init; }

    /// <summary>The address the subject is searched by, sealed (<c>BusSeal.SubjectEmail</c>, ADR 38).</summary>
    public required byte[] SealedSubjectEmail { get; init; }

    /// <summary>For <see cref="StoreActionKind.Restrict"/>: the Art 18(1) ground, recorded with the restricted rows.</summary>
    public RestrictionGround? Ground { get; init; }

    /// <summary>
    /// For <see cref="StoreActionKind.Rectify"/>: the corrections the DPO approved, sealed (encrypted and bound to the case,
    /// ADR 29) so that the values are not on the bus in clear; ErasureExecutor opens them.
    /// </summary>
    public byte[]? SealedCorrections { get; init; }
}

public record StoreActionCompleted
{
    public required Guid CaseId { get; init; }

    public required string StoreId { get; init; }

    public required StoreActionKind Action { get; init; }

    public required int RowsAffected { get; init; }

    /// <summary>
    /// When the action was done. A duplicate command gets the recorded result again, with this same
    /// time and <see cref="RowsAffected"/>: the store's ledger keeps them.
    /// </summary>
    public required DateTimeOffset CompletedAt { get; init; }

    /// <summary>
    /// What the action left alone because the subject's identifier was ambiguous there (see
    /// <see cref="StoreFindings.Ambiguous"/>); the case needs the DPO for these. Empty when none.
    /// </summary>
    public IReadOnlyList<AmbiguousIdentifier> Ambiguous { get; init; } = [];

    /// <summary>
    /// For an erasure: the subject's rows a legal hold (Art 17(3)) keeps, restricted instead of erased, per entity.
    /// They are not counted in <see cref="RowsAffected"/>. Empty when none.
    /// </summary>
    public IReadOnlyList<HeldData> Held { get; init; } = [];
}

/// <summary>Rows of one entity kept under a legal hold: restricted until <see cref="HoldEndsOn"/>, then erased.</summary>
public record HeldData
{
    public required string Entity { get; init; }

    public required int Rows { get; init; }

    /// <summary>The legal basis as the registry states it, e.g. German commercial and tax law (§ 257 HGB, § 147 AO).</summary>
    public required string LegalBasis { get; init; }

    /// <summary>The day the last of these rows' hold ends.</summary>
    public required DateOnly HoldEndsOn { get; init; }
}

public record StoreActionFailed
{
    public required Guid CaseId { get; init; }

    public required string StoreId { get; init; }

    public required StoreActionKind Action { get; init; }

    /// <summary>Why, in words fit for the DPO; never personal data.</summary>
    public required string Reason { get; init; }

    public required DateTimeOffset FailedAt { get; init; }
}
