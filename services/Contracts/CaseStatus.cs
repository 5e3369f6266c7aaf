namespace Closely.Contracts;

/// <summary>
/// Published by the case saga after every change of a case, for read models such as the requester's
/// status page. Carries no personal data.
/// </summary>
public record CaseStatusChanged
{
    public required Guid CaseId { get; init; }

    /// <summary>The saga state, e.g. <c>AwaitingVerification</c>, <c>Executing</c>, <c>Completed</c>.</summary>
    public required string State { get; init; }

    public required DataSubjectRight Right { get; init; }

    public required DateOnly DueOn { get; init; }

    public required bool Extended { get; init; }

    public required IReadOnlyList<StoreStatusView> Stores { get; init; }

    /// <summary>The right is still unclear (a mail the DPO has not classified yet): <see cref="Right"/> is only a guess.</summary>
    public bool NeedsTriage { get; init; }

    /// <summary>Why the due date was extended, as the requester was told (Art 12(3)); null unless <see cref="Extended"/>.</summary>
    public string? ExtensionReason { get; init; }

    /// <summary>The case's version: a read model keeps the highest it has seen.</summary>
    public required int Version { get; init; }
}

public record StoreStatusView
{
    public required string StoreId { get; init; }

    /// <summary><c>Pending</c>, <c>Completed</c> or <c>Failed</c>.</summary>
    public required string Status { get; init; }

    public string? Reason { get; init; }

    /// <summary>The step's action in kebab case (<c>erase</c>, <c>restrict</c>, <c>lift-restriction</c>, <c>erase-held</c>, <c>export</c>, ...).</summary>
    public string Action { get; init; } = "erase";

    /// <summary>For an erasure that kept rows under a legal hold (Art 17(3)): the day the last of those holds ends.</summary>
    public DateOnly? HeldUntil { get; init; }
}
