namespace Closely.Cases.Saga;

/// <summary>
/// The DPO lifts a completed restriction (Art 18), with the reason: the requester is told first (Art 18(3)), and the
/// stores lift it once that notice has gone out. Published by the console, applied by the case saga, like the actions
/// of <c>DpoActions.cs</c>.
/// </summary>
public record LiftRestriction
{
    public required Guid CaseId { get; init; }

    public required string Actor { get; init; }

    public required string Reason { get; init; }
}

/// <summary>
/// The DPO keeps a restriction flagged for a decision (Art 18(1)(a) or (d)), with the reason; it stays in the stores and
/// may still be lifted later.
/// </summary>
public record KeepRestriction
{
    public required Guid CaseId { get; init; }

    public required string Actor { get; init; }

    public required string Reason { get; init; }
}
