namespace Closely.Cases.Saga;

/// <summary>
/// The DPO's decisions on a rectification's corrections (Art 16: accuracy is the controller's call), one verdict per
/// pending correction. An approved correction goes to every store holding its field, as requested or as edited; a declined
/// one is kept with the case as a supplementary statement and the requester is told why. Published by the console,
/// applied by the case saga, like the actions of <c>DpoActions.cs</c>.
/// </summary>
public record DecideCorrections
{
    public required Guid CaseId { get; init; }

    public required string Actor { get; init; }

    public required IReadOnlyList<CorrectionVerdict> Verdicts { get; init; }

    /// <summary>
    /// The DPO's edited values of approved corrections (<see cref="Contracts.FieldCorrection"/>), sealed like the requester's
    /// (<see cref="BuildingBlocks.Privacy.SealedCorrections.Edited"/>, ADR 29); null when none was edited.
    /// </summary>
    public byte[]? SealedEdits { get; init; }
}

/// <summary>The decision on the correction of <see cref="Field"/>: approved, or declined with the reason the requester is told.</summary>
public record CorrectionVerdict
{
    public required string Field { get; init; }

    public required bool Approved { get; init; }

    public string? Reason { get; init; }
}
