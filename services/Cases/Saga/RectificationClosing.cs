using Closely.Contracts;

namespace Closely.Cases.Saga;

/// <summary>How a rectification ends, and what the requester is told: the fields corrected, and each declined correction's statement.</summary>
public static class RectificationClosing
{
    /// <summary>Every store holding an approved field has it corrected.</summary>
    public static CaseClosing Done(CaseState saga)
    {
        ArgumentNullException.ThrowIfNull(saga);
        var outcome = $"Rectified ({string.Join(", ", saga.ApprovedFields)}) in every store holding the field{Declined(saga)}.";
        return new(outcome, Notice("rectification-completed", saga), new(CaseAudit.System, "completed", outcome));
    }

    /// <summary>The DPO declined every correction: nothing changes in the stores; the statements stay with the case.</summary>
    public static CaseClosing AllDeclined(string actor, CaseState saga)
    {
        ArgumentNullException.ThrowIfNull(saga);
        var outcome = $"No correction applied{Declined(saga)}.";
        return new(outcome, Notice("rectification-declined", saga), new(actor, "completed", outcome));
    }

    private static Notice Notice(string template, CaseState saga) => new("completed", template,
    [
        ("fields", string.Join(", ", saga.ApprovedFields)),
        // Fields and the DPO's reasons only: the values stay in the case (and off the bus).
        ("declined", saga.Corrections.Any(c => c.Decision == CorrectionDecision.Declined)
            ? string.Join("\n", saga.Corrections.Where(c => c.Decision == CorrectionDecision.Declined).Select(c => $"- {c.Field}: {c.Reason}"))
            : "-"),
    ]);

    private static string Declined(CaseState saga)
    {
        var declined = saga.Corrections.Where(c => c.Decision == CorrectionDecision.Declined).Select(c => c.Field).ToList();
        return declined.Count == 0 ? "" : $"; declined, kept as supplementary statements (Art 16): {string.Join(", ", declined)}";
    }
}
