using Closely.Contracts;

namespace Closely.Cases.Saga;

/// <summary>
/// An email the case asks Notification to send: its key (unique per case and occurrence, see
/// <see cref="CaseState.RequestNotice"/>), its template and the values it adds to <see cref="NotificationValues"/>.
/// </summary>
public sealed record Notice(string Key, string Template, IReadOnlyList<(string Key, string Value)> Values)
{
    // To the requester (and a copy to their agent).
    /// <summary>
    /// The acknowledgement, with the status link Intake made. It names the right only when it is clear: for a mail
    /// whose right is unclear it says the privacy team will look at it, never a guess.
    /// </summary>
    public static Notice Acknowledgement(bool needsTriage, Uri? statusUrl) =>
        Of("acknowledgement", needsTriage ? "acknowledgement-unclear" : "acknowledgement", ("statusUrl", statusUrl?.ToString() ?? ""));

    public static Notice ObjectionConfirmed { get; } = Of("objection-confirmed", "objection-confirmed");

    public static Notice IdentityRejected { get; } = Of("identity-rejected", "identity-rejected");

    /// <summary>The request was not confirmed within <paramref name="days"/> days: how to ask again.</summary>
    public static Notice NotVerified(int days) =>
        Of("not-verified", "not-verified", ("days", days.ToString(System.Globalization.CultureInfo.InvariantCulture)));

    /// <summary>
    /// The completion notice once the stores are done: for a restriction the template of its Art 18(1) ground
    /// (<c>restriction-completed-&lt;ground&gt;</c>, which says what the restriction means), else the erasure's.
    /// </summary>
    public static Notice StoresDone(CaseState saga)
    {
        ArgumentNullException.ThrowIfNull(saga);
        if (saga.RestrictionLifted)
        {
            return Of("completed", "restriction-lifted");
        }

        if (saga.Stores.Exists(s => s.Action == StoreActionKind.EraseHeld))
        {
            return Of("held-data-erased", "held-data-erased");
        }

        if (saga.RestrictionGround is { } ground && saga.StoreAction == StoreActionKind.Restrict)
        {
            return Of("completed", "restriction-completed-" + RestrictionGrounds.Name(ground));
        }

        var held = saga.Stores.SelectMany(s => s.Held).ToList();
        return held.Count == 0
            ? Of("completed", "erasure-completed")
            : Of("completed", "erasure-completed-with-hold", ("held", string.Join("\n", held.Select(h =>
                string.Create(System.Globalization.CultureInfo.InvariantCulture, $"- {h.Entity}: {h.LegalBasis}; kept until {h.HoldEndsOn:yyyy-MM-dd}")))));
    }

    public static Notice AutomatedDecisionInformation { get; } = Of("completed", "automated-decision-information");

    public static Notice Withdrawn { get; } = Of("withdrawn", "withdrawn");

    /// <summary>The link to the package's download page: a credential for the package, so it goes to the requester only.</summary>
    public static Notice DataPackageReady(Uri downloadUrl, DateTimeOffset expiresAt) =>
        Of("completed", "data-package-ready", ("downloadUrl", downloadUrl.ToString()), ("expiresAt", expiresAt.ToString("O", System.Globalization.CultureInfo.InvariantCulture)));

    /// <summary>Before a restriction is lifted (Art 18(3)), with the DPO's reason.</summary>
    public static Notice RestrictionLift(string reason) => Of(RestrictionLiftKey, "restriction-lift-notice", ("reason", reason));

    /// <summary>The key of <see cref="RestrictionLift"/>: the lift waits for the requester's copy of it to be sent.</summary>
    public const string RestrictionLiftKey = "restriction-lift";

    // To the DPO.
    public static Notice Triage { get; } = Of("triage", "dpo-action-needed", ("action", "classify the request (its right is unclear)"));

    public static Notice AuthorityReview { get; } = Of("authority-review", "dpo-action-needed", ("action", "review the agent's written authority"));

    public static Notice PackageReview { get; } = Of("package-review", "dpo-action-needed", ("action", "review the data package held for review and release it"));

    public static Notice PartiallyCompleted { get; } = Of("partially-completed", "dpo-partially-completed");

    public static Notice Overdue { get; } = Of("overdue", "dpo-overdue");

    public static Notice AuthorityRejected(string reason) => Of("authority-rejected", "authority-rejected", ("reason", reason));

    public static Notice RequestCompleted(string note) => Of("completed", "request-completed", ("note", note));

    public static Notice Refusal(string reason) => Of("refused", "refusal", ("reason", reason));

    public static Notice Extension(string reason) => Of("extension", "extension-notice", ("reason", reason));

    /// <summary>Rows left alone because an identifier of the subject is shared there, by store, entity and kind (ADR 19).</summary>
    public static Notice AmbiguousMatch(string where) => Of("ambiguous-match", "dpo-action-needed",
        ("action", $"decide about rows left alone because an identifier of the subject is shared with other rows there ({where}); the subject's own rows are done"));

    public static Notice DpoAction(DataSubjectRight right) => Of("dpo-action", "dpo-action-needed", ("action", $"carry out the {right} request"));

    private static Notice Of(string key, string template, params (string Key, string Value)[] values) => new(key, template, values);
}
