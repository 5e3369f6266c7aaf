using System.Globalization;
using Closely.Contracts;

namespace Closely.Cases.Saga;

/// <summary>
/// How a case ends: the audit entry of the decision that ends it (when the ending has one of its own), the
/// outcome recorded on the case, and the notice to the requester. The machine's close binder
/// (<see cref="CaseBinders.CloseAs{T}"/>) applies one.
/// </summary>
public sealed record CaseClosing(string? Outcome, Notice Notice, CaseClosing.Entry? Audit = null)
{
    private const string AnsweredOutcome = "Answered with information: Closely makes no decisions based solely on automated processing.";

    public static CaseClosing OptedOut { get; } = new(
        "Objection to direct marketing: the address was put on the suppression list at intake.", Notice.ObjectionConfirmed);

    public static CaseClosing NothingFound(CaseState saga) =>
        new("No data about the subject was found in any store.", Notice.StoresDone(saga));

    /// <summary>
    /// Every store is done: an erasure ends with no further outcome, a restriction with its ground (Art 18(1)), a lifted
    /// restriction with the DPO's reason recorded when the lift was announced, the erasure of rows a legal hold kept
    /// with that.
    /// </summary>
    public static CaseClosing AllStoresDone(CaseState saga)
    {
        ArgumentNullException.ThrowIfNull(saga);
        if (saga.StoreAction == StoreActionKind.Rectify)
        {
            return RectificationClosing.Done(saga);
        }

        var outcome = saga.RestrictionGround is { } ground && saga.StoreAction == StoreActionKind.Restrict
            ? $"Restricted under Art 18(1)({ArticleLetter(ground)}) ({RestrictionGrounds.Name(ground)}) in every store holding the subject's data."
            : null;
        if (saga.RestrictionLifted)
        {
            outcome = saga.Outcome;
        }

        if (saga.Stores.Exists(s => s.Action == StoreActionKind.EraseHeld))
        {
            outcome = "Erased; the rows kept under a legal hold were erased in each store once its hold ended.";
            return new(outcome, Notice.StoresDone(saga), new(CaseAudit.System, "held-data-erased", outcome));
        }

        return new(outcome, Notice.StoresDone(saga), new(CaseAudit.System, "completed", outcome ?? "The action is done in every store."));
    }

    /// <summary>The letter of Art 18(1) a ground stands on: (a) to (d).</summary>
    public static char ArticleLetter(RestrictionGround ground) => (char)('a' + (int)ground);

    public static CaseClosing AnsweredWithInformation { get; } = new(
        AnsweredOutcome, Notice.AutomatedDecisionInformation, new(CaseAudit.System, "answered", AnsweredOutcome));

    /// <summary>The requester did not confirm the request within the verification period (ADR 21).</summary>
    public static CaseClosing NotVerified(TimeSpan period)
    {
        var days = (int)Math.Round(period.TotalDays);
        var outcome = string.Create(CultureInfo.InvariantCulture, $"Not verified: the requester did not confirm the request within {days} days.");
        return new(outcome, Notice.NotVerified(days), new(CaseAudit.System, "not-verified", outcome));
    }

    public static CaseClosing PackageDelivered(Uri downloadUrl, DateTimeOffset expiresAt) => new(
        null, Notice.DataPackageReady(downloadUrl, expiresAt), new(CaseAudit.System, "completed", "The data package is built; the requester gets its download link."));

    public static CaseClosing IdentityRejected(string actor, string reason) =>
        new(reason, Notice.IdentityRejected, new(actor, "identity-rejected", reason));

    public static CaseClosing AuthorityRejected(string actor, string reason) =>
        new(reason, Notice.AuthorityRejected(reason), new(actor, "authority-rejected", reason));

    public static CaseClosing CompletedByDpo(string actor, string note) =>
        new(note, Notice.RequestCompleted(note), new(actor, "completed", note));

    public static CaseClosing Refused(string actor, string reason) =>
        new(reason, Notice.Refusal(reason), new(actor, "refused", $"Refused under Art 12(5): {reason}"));

    public static CaseClosing Withdrawn(string actor, string reason) =>
        new(reason, Notice.Withdrawn, new(actor, "withdrawn", reason));

    /// <summary>The audit entry that records the decision to close.</summary>
    public sealed record Entry(string Actor, string Action, string Detail);
}
