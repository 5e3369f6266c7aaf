using Closely.Contracts;

namespace Closely.Cases.Saga;

public enum StoreStatus
{
    Pending,
    Completed,
    Failed,
}

/// <summary>Per-store progress of the case's action (no personal data).</summary>
public class StoreProgress
{
    public required string StoreId { get; set; }

    /// <summary>The action the case carries out in the store (erase, restrict, lift the restriction).</summary>
    public StoreActionKind Action { get; set; }

    public int RowsFound { get; set; }

    public StoreStatus Status { get; set; }

    public int RowsAffected { get; set; }

    public int Failures { get; set; }

    public string? Reason { get; set; }

    public DateTimeOffset? CompletedAt { get; set; }

    /// <summary>The rows a legal hold keeps (Art 17(3)): restricted, not erased, with the basis and the day the hold ends.</summary>
    public List<HeldData> Held { get; set; } = [];

    /// <summary>Set when the DPO marked the step done by hand: the evidence they recorded.</summary>
    public string? ManualEvidence { get; set; }

    /// <summary>
    /// What the store's match left alone: an identifier of the subject that other rows there carry too, by entity
    /// and kind (never the value). From the findings until the action's own result replaces it; the case goes to
    /// the DPO for these instead of completing (ADR 19).
    /// </summary>
    public List<AmbiguousIdentifier> Ambiguous { get; set; } = [];

    public void Complete(int rowsAffected, IReadOnlyList<AmbiguousIdentifier> ambiguous, DateTimeOffset completedAt)
    {
        Status = StoreStatus.Completed;
        RowsAffected = rowsAffected;
        Ambiguous = [.. ambiguous];
        CompletedAt = completedAt;
        Reason = null;
    }

    /// <summary>The DPO did the step by hand: their evidence covers the rows an ambiguous identifier would have reached too.</summary>
    public void CompleteByHand(string evidence, DateTimeOffset completedAt)
    {
        Status = StoreStatus.Completed;
        CompletedAt = completedAt;
        ManualEvidence = evidence;
        Ambiguous = [];
        Reason = null;
    }

    /// <summary>What was left alone, e.g. <c>people by phone</c>; empty when nothing was.</summary>
    public string DescribeAmbiguity() => string.Join(", ", Ambiguous.Select(a => $"{a.Entity} by {a.Kind}"));

    public void Fail(string reason)
    {
        Status = StoreStatus.Failed;
        Failures++;
        Reason = reason;
    }

    /// <summary>The action is sent to the store again.</summary>
    public void Retry() => Status = StoreStatus.Pending;
}
