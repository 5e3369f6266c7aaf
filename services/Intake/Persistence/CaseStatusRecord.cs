using Closely.Contracts;

namespace Closely.Intake.Persistence;

/// <summary>Intake's read model of a case, kept from <see cref="CaseStatusChanged"/>: the highest version wins.</summary>
public sealed class CaseStatusRecord
{
    public required Guid CaseId { get; init; }

    public required string State { get; init; }

    /// <summary>The case's right as the saga has it now (the DPO may have reclassified it); null in rows kept before it was.</summary>
    public DataSubjectRight? Right { get; init; }

    /// <summary>The right is still unclear: a mail the DPO has not classified yet.</summary>
    public bool NeedsTriage { get; init; }

    /// <summary>Why the due date was extended, as the requester was told.</summary>
    public string? ExtensionReason { get; init; }

    public required DateOnly DueOn { get; init; }

    public required bool Extended { get; init; }

    public required IReadOnlyList<StoreStatusView> Stores { get; init; }

    public required int Version { get; init; }

    public required DateTimeOffset UpdatedAt { get; init; }
}
