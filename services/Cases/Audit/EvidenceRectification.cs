using Closely.Cases.Saga;

namespace Closely.Cases.Audit;

/// <summary>
/// What a rectification (Art 16) did: each correction with the DPO's decision (the value the stores got, or the supplementary
/// statement kept when declined), and the rectification in every store holding a corrected field, as for an erasure.
/// </summary>
public sealed record EvidenceRectification
{
    public required IReadOnlyList<CaseCorrection> Corrections { get; init; }

    /// <summary>True when every store is completed (also when no store held a corrected field, or none was approved).</summary>
    public required bool AllStoresCompleted { get; init; }

    /// <summary>The rectification per store: outcome, rows found and updated, when, failures.</summary>
    public required IReadOnlyList<StoreErasure> Stores { get; init; }
}
