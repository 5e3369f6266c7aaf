using Closely.Contracts;

namespace Closely.Intake.Persistence;

/// <summary>Intake's read model of a case, kept from <see cref="CaseStatusChanged"/>: the highest version wins.</summary>
public sealed class CaseStatusRecord
{
    public required Guid CaseId { get; init; }

    public required string State { get; init; }

    public required DateOnly DueOn { get; init; }

    public required bool Extended { get; init; }

    public required IReadOnlyList<StoreStatusView> Stores { get; init; }

    public required int Version { get; init; }

    public required DateTimeOffset UpdatedAt { get; init; }
}
