using Closely.Contracts;

namespace Closely.Cases.Saga;

// The DPO's actions on a case, published by the console and applied by the case saga, which records
// each in the audit trail with who and why. Each is guarded by the case's state, so a repeated message
// changes nothing twice. Internal to Cases: no other service sends them.

/// <summary>Approve or reject the written authority of the agent who made the request.</summary>
public record DecideAuthority
{
    public required Guid CaseId { get; init; }

    public required string Actor { get; init; }

    public required bool Approved { get; init; }

    public required string Reason { get; init; }
}

/// <summary>Decide the requester's identity by hand, e.g. after a call or a further document.</summary>
public record DecideIdentity
{
    public required Guid CaseId { get; init; }

    public required string Actor { get; init; }

    public required bool Verified { get; init; }

    public required string Reason { get; init; }
}

/// <summary>Extend the deadline by two months (Art 12(3)); allowed only within the first month.</summary>
public record ExtendDeadline
{
    public required Guid CaseId { get; init; }

    public required string Actor { get; init; }

    public required string Reason { get; init; }
}

/// <summary>Refuse a manifestly unfounded or excessive request (Art 12(5)).</summary>
public record RefuseRequest
{
    public required Guid CaseId { get; init; }

    public required string Actor { get; init; }

    public required string Reason { get; init; }
}

/// <summary>Send a failed store's action again now.</summary>
public record RetryStore
{
    public required Guid CaseId { get; init; }

    public required string Actor { get; init; }

    public required string StoreId { get; init; }
}

/// <summary>Record a store's step as done by hand, with the evidence of what was done.</summary>
public record MarkStoreDone
{
    public required Guid CaseId { get; init; }

    public required string Actor { get; init; }

    public required string StoreId { get; init; }

    public required string Evidence { get; init; }
}

/// <summary>The requester withdrew the request.</summary>
public record WithdrawRequest
{
    public required Guid CaseId { get; init; }

    public required string Actor { get; init; }

    public required string Reason { get; init; }
}

/// <summary>Set the right of a case, e.g. one from the mailbox that needed triage.</summary>
public record ReclassifyRequest
{
    public required Guid CaseId { get; init; }

    public required string Actor { get; init; }

    public required DataSubjectRight Right { get; init; }

    public required string Reason { get; init; }
}

/// <summary>The DPO has reviewed a data package held for review: its link goes to the requester.</summary>
public record ReleaseDataPackage
{
    public required Guid CaseId { get; init; }

    public required string Actor { get; init; }

    public required string Note { get; init; }
}

/// <summary>The DPO answered a request whose execution is not automated; the case is complete.</summary>
public record CompleteRequest
{
    public required Guid CaseId { get; init; }

    public required string Actor { get; init; }

    public required string Note { get; init; }
}
