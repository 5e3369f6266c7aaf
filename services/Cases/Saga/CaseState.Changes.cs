using System.Globalization;
using Closely.BuildingBlocks.Deadlines;
using Closely.BuildingBlocks.Localization;
using Closely.BuildingBlocks.Privacy;
using Closely.Contracts;

namespace Closely.Cases.Saga;

// What happens to a case's data, each change with the entry it leaves in the audit trail. The machine
// decides when; these say what.
public partial class CaseState
{
    public bool IsClosed => CaseStates.IsClosed(CurrentState);

    public bool AllStoresCompleted => Stores.TrueForAll(s => s.Status == StoreStatus.Completed);

    public bool NoStorePending => Stores.TrueForAll(s => s.Status != StoreStatus.Pending);

    /// <summary>The verification emails Identity sent for the case, as Notification reported them.</summary>
    public int VerificationEmails => Notices.Count(n => n.Key.StartsWith(VerifyIdentity.EmailKeyPrefix, StringComparison.Ordinal) && n.SuppressedAt is null);

    /// <summary>A store left rows alone because an identifier of the subject is shared there: the DPO decides about them.</summary>
    public bool HasAmbiguousMatch => Stores.Exists(s => s.Ambiguous.Count > 0);

    /// <summary>
    /// An erasure with an ambiguous match waits for the DPO before it is called done (ADR 19); a restriction (reversible,
    /// and protective while it lasts) and an export go ahead on the subject's own rows.
    /// </summary>
    public bool WaitsForDpoOnAmbiguity => HasAmbiguousMatch && StoreAction == StoreActionKind.Erase;

    /// <summary>Where an identifier was ambiguous, by store, entity and kind: <c>hetzner-fsn1-crm: people by phone</c>.</summary>
    public string AmbiguityReason =>
        string.Join("; ", Stores.Where(s => s.Ambiguous.Count > 0).Select(s => $"{s.StoreId}: {s.DescribeAmbiguity()}"));

    /// <summary>What the right does in each store once the subject is located: restrict for a restriction (and for an objection
    /// pending under Art 18(1)(d)), rectify for a rectification, export for access and portability, else erase.</summary>
    public StoreActionKind StoreAction => Right switch
    {
        DataSubjectRight.Restriction => StoreActionKind.Restrict,
        DataSubjectRight.Objection when RestrictionGround == Contracts.RestrictionGround.ObjectionPending => StoreActionKind.Restrict,
        DataSubjectRight.Rectification => StoreActionKind.Rectify,
        DataSubjectRight.Access or DataSubjectRight.Portability => StoreActionKind.Export,
        _ => StoreActionKind.Erase,
    };

    /// <summary>The case of a request just received, with its statutory dates; the message's personal data opened with <paramref name="protector"/>.</summary>
    public void Open(DsrReceived message, PersonalDataProtector protector, DeadlineSchedule schedule, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(protector);
        ArgumentNullException.ThrowIfNull(schedule);
        var requesterEmail = message.RequesterEmail(protector);
        var agentEmail = message.AgentEmail(protector);
        Reference = message.Reference;
        Right = message.Right;
        Channel = message.Channel;
        ReceivedAt = message.ReceivedAt;
        ReceivedOn = schedule.ReceivedOn;
        SetDates(schedule);
        RequesterEmail = PersonalDataProtector.NormaliseEmail(requesterEmail);
        RequesterEmailIndex = protector.EmailIndex(requesterEmail);
        NeedsTriage = message.NeedsTriage;
        ClassificationConfidence = message.ClassificationConfidence;
        AgentEmail = agentEmail is null ? null : PersonalDataProtector.NormaliseEmail(agentEmail);
        Authority = agentEmail is null ? AuthorityReview.NotNeeded : AuthorityReview.Pending;
        Details = message.Details(protector);
        RestrictionGround = message.RestrictionGround;
        ClientId = message.ClientId;
        Language = PublicLanguages.Of(message.Language).Code;
        StepStartedAt = now;

        var how = agentEmail is null ? "" : " by an authorised agent";
        var triage = message.NeedsTriage
            ? string.Create(CultureInfo.InvariantCulture, $"; the right is unclear (best guess {message.Right}, confidence {message.ClassificationConfidence:0.00}) and needs triage")
            : "";
        Record(now, CaseAudit.System, "received",
            $"{message.Right} request {message.Reference} received through {message.Channel}{how} on {schedule.ReceivedOn:yyyy-MM-dd}; due {schedule.DueOn:yyyy-MM-dd}{triage}.");
    }

    /// <summary>A new step begins: its command goes out now and has not been re-sent.</summary>
    public void StartStep(DateTimeOffset now)
    {
        StepStartedAt = now;
        StepResends = 0;
    }

    /// <summary>The current step's command is sent again after its timeout.</summary>
    public void RecordResend(DateTimeOffset now)
    {
        StepResends++;
        StepStartedAt = now;
    }

    public void VerifiedByLink(IdentityVerified message, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(message);
        VerifiedAt = message.VerifiedAt;
        Record(now, CaseAudit.System, "identity-verified", $"Identity established by {message.Method}.");
    }

    public void VerifiedByDpo(string actor, string reason, DateTimeOffset now)
    {
        VerifiedAt = now;
        Record(now, actor, "identity-verified", $"Identity established by the DPO's decision: {reason}");
    }

    public void ApproveAuthority(string actor, string reason, DateTimeOffset now)
    {
        Authority = AuthorityReview.Approved;
        Record(now, actor, "authority-approved", reason);
    }

    /// <summary>The agent's authority is rejected; the closing that follows records the decision.</summary>
    public void RejectAuthority() => Authority = AuthorityReview.Rejected;

    public bool CanBeReclassifiedTo(DataSubjectRight right) => NeedsTriage || Right != right;

    public void Reclassify(string actor, DataSubjectRight right, string reason, DateTimeOffset now)
    {
        Record(now, actor, "reclassified", $"Right set to {right} (was {Right}): {reason}");
        Right = right;
        NeedsTriage = false;
    }

    /// <summary>
    /// The stores to act in: those that hold the subject's data or an identifier of theirs that is ambiguous, and
    /// those that could not be searched.
    /// </summary>
    public void RecordFindings(IReadOnlyList<StoreFindings> findings, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(findings);
        Stores = findings
            .Where(s => PackageKind is not null || s.TotalRows > 0 || s.Ambiguous.Count > 0 || !s.Reachable)
            .Where(s => StoreAction != StoreActionKind.Rectify || HoldsApprovedField(s))
            .Select(s => new StoreProgress
            {
                StoreId = s.StoreId, Action = StoreAction, RowsFound = s.TotalRows, Status = StoreStatus.Pending, Reason = s.Problem, Ambiguous = [.. s.Ambiguous],
            })
            .ToList();
        StartStep(now);
        Record(now, CaseAudit.System, "located", "Searched every store: " + string.Join("; ", findings.Select(s => s.Reachable
            ? string.Create(CultureInfo.InvariantCulture, $"{s.StoreId}: {s.TotalRows} rows{LeftAlone(s.Ambiguous)}")
            : $"{s.StoreId}: not searchable ({s.Problem})")) + ".");
    }

    /// <summary>A store's result; a result for a store that is not part of the case, or already done, changes nothing.</summary>
    public void RecordStoreCompleted(StoreActionCompleted message, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (OpenStore(message.StoreId, message.Action) is not { } store)
        {
            return;
        }

        store.Complete(message.RowsAffected, message.Ambiguous, message.CompletedAt);
        store.Held = [.. message.Held];
        Record(now, CaseAudit.System, "store-completed",
            string.Create(CultureInfo.InvariantCulture, $"{message.Action} done in store {message.StoreId}: {message.RowsAffected} rows affected at {message.CompletedAt:O}{LeftAlone(message.Ambiguous)}.")
            + string.Concat(message.Held.Select(h => string.Create(CultureInfo.InvariantCulture,
                $" {h.Rows} rows of {h.Entity} restricted, not erased, under a legal hold until {h.HoldEndsOn:yyyy-MM-dd}: {h.LegalBasis}."))));
    }

    /// <summary>
    /// Every store is done with what is certainly the subject's, but an identifier was ambiguous somewhere: the rows
    /// it would have reached were left alone and the DPO decides about them (ADR 19).
    /// </summary>
    public void HandAmbiguityToDpo(DateTimeOffset now)
    {
        StartStep(now);
        Record(now, CaseAudit.System, "ambiguous-match",
            $"Done in every store for the subject's own rows. An identifier of the subject is shared with other rows, which were left alone: {AmbiguityReason}. The DPO decides about them.");
    }

    public void RecordStoreFailed(StoreActionFailed message, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (OpenStore(message.StoreId, message.Action) is not { } store)
        {
            return;
        }

        store.Fail(message.Reason);
        Record(now, CaseAudit.System, "store-failed", $"{message.Action} failed in store {message.StoreId}: {message.Reason}");
    }

    /// <summary>The store of the case with this id (and, for a store's answer, this action), unless its step is done already.</summary>
    public StoreProgress? OpenStore(string storeId, StoreActionKind? action = null) =>
        Stores.Find(s => s.StoreId == storeId && (action is null || s.Action == action) && s.Status != StoreStatus.Completed);

    public bool HasFailedStore(string storeId) => Stores.Exists(s => s.StoreId == storeId && s.Status == StoreStatus.Failed);

    public void MarkStoreDone(MarkStoreDone message, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(message);
        var store = OpenStore(message.StoreId)!;
        store.CompleteByHand(message.Evidence, now);
        Record(now, message.Actor, "store-done-by-hand", $"Store {store.StoreId} marked done by hand. Evidence: {message.Evidence}");
    }

    public void RetryStore(RetryStore message, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(message);
        Stores.Single(s => s.StoreId == message.StoreId && s.Status == StoreStatus.Failed).Retry();
        StartStep(now);
        Record(now, message.Actor, "store-retried", $"The action on store {message.StoreId} was sent again.");
    }

    /// <summary>The deadline is extended by two months (Art 12(3)); the reminders start again for the new dates.</summary>
    public void Extend(DeadlineSchedule schedule, string actor, string reason, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        Extended = true;
        ExtensionReason = reason;
        SetDates(schedule);
        TargetReminderSent = false;
        DueReminderSent = false;
        Record(now, actor, "extended", $"Due date extended to {schedule.DueOn:yyyy-MM-dd}: {reason}");
    }

    public void RefuseExtension(string actor, DateTimeOffset now) =>
        Record(now, actor, "extension-refused",
            $"An extension may be given only within the first month, which ended on {DueOn:yyyy-MM-dd} (Art 12(3)).");

    public bool OwesTargetReminder => !TargetReminderSent && !IsClosed;

    public bool OwesDueReminder => !DueReminderSent && !IsClosed;

    public bool OwesOverdueEscalation => !OverdueEscalated && !IsClosed;

    public void RemindOfTarget(DateTimeOffset now)
    {
        TargetReminderSent = true;
        Record(now, CaseAudit.System, "reminder", $"The internal target {TargetOn:yyyy-MM-dd} is near: the case is in the DPO's daily reminder digest.");
    }

    public void RemindOfDueDate(DateTimeOffset now)
    {
        DueReminderSent = true;
        Record(now, CaseAudit.System, "reminder", $"The legal due date {DueOn:yyyy-MM-dd} is near: the case is in the DPO's daily reminder digest.");
    }

    public void EscalateOverdue(DateTimeOffset now)
    {
        OverdueEscalated = true;
        Record(now, CaseAudit.System, "overdue", $"The due date {DueOn:yyyy-MM-dd} passed with the case open; escalated to the DPO.");
    }

    /// <summary>The case has its outcome: the decision that ends it is recorded, then the outcome.</summary>
    public void Close(CaseClosing closing, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(closing);
        if (closing.Audit is { } entry)
        {
            Record(now, entry.Actor, entry.Action, entry.Detail);
        }

        ClosedAt = now;
        Outcome = closing.Outcome;
    }

    /// <summary>
    /// Adds a notice to the case's list and returns its key: the notice's own key the first time, then the key
    /// with its occurrence (<c>partially-completed#2</c>), so that Notification, which sends a key once per case,
    /// sends a notice that is due again.
    /// </summary>
    public string RequestNotice(string key, string template, string to, DateTimeOffset now)
    {
        var earlier = Notices.Count(n => n.Key == key || n.Key.StartsWith(key + "#", StringComparison.Ordinal));
        var occurrenceKey = earlier == 0 ? key : string.Create(CultureInfo.InvariantCulture, $"{key}#{earlier + 1}");
        Notices.Add(new NoticeRecord { Key = occurrenceKey, Template = template, To = to, RequestedAt = now });
        return occurrenceKey;
    }

    /// <summary>
    /// Notification sent a notice; a repeated report changes nothing. Identity's verification emails, which the case
    /// did not ask for itself, join the list when reported, so that the case counts them. A notice Notification
    /// suppressed (its recipient had had the day's quota, ADR 42) stays unsent and is recorded in the audit trail; a
    /// suppressed verification email is not counted, so the step's re-send tries again (on a later day, within quota).
    /// </summary>
    public void RecordDelivery(NotificationSent message, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (message.Suppressed)
        {
            RecordSuppression(message, now);
            return;
        }

        var notice = Notices.Find(n => n.Key == message.NotificationKey);
        if (notice is null && message.NotificationKey.StartsWith(VerifyIdentity.EmailKeyPrefix, StringComparison.Ordinal))
        {
            notice = new NoticeRecord { Key = message.NotificationKey, Template = "verify-identity", To = "requester", RequestedAt = message.SentAt };
            Notices.Add(notice);
        }

        if (notice is null || notice.SentAt is not null)
        {
            return;
        }

        notice.SentAt = message.SentAt;
        Record(now, CaseAudit.System, "notice-sent",
            string.Create(CultureInfo.InvariantCulture, $"Email '{notice.Template}' to the {notice.To} sent at {message.SentAt:O}."));
    }

    private void RecordSuppression(NotificationSent message, DateTimeOffset now)
    {
        var notice = Notices.Find(n => n.Key == message.NotificationKey);
        if (notice is null && message.NotificationKey.StartsWith(VerifyIdentity.EmailKeyPrefix, StringComparison.Ordinal))
        {
            notice = new NoticeRecord { Key = message.NotificationKey, Template = "verify-identity", To = "requester", RequestedAt = message.SentAt };
            Notices.Add(notice);
        }

        if (notice is null || notice.SentAt is not null || notice.SuppressedAt is not null)
        {
            return;
        }

        notice.SuppressedAt = message.SentAt;
        Record(now, CaseAudit.System, "notice-suppressed",
            string.Create(CultureInfo.InvariantCulture, $"Email '{notice.Template}' to the {notice.To} not sent at {message.SentAt:O}: the address had had the day's quota of emails."));
    }

    private static string LeftAlone(IReadOnlyList<AmbiguousIdentifier> ambiguous) => ambiguous.Count == 0
        ? ""
        : "; left alone (identifier shared with other rows): " + string.Join(", ", ambiguous.Select(a => $"{a.Entity} by {a.Kind}"));

    private void SetDates(DeadlineSchedule schedule)
    {
        DueAt = schedule.DueAt;
        DueOn = schedule.DueOn;
        TargetAt = schedule.TargetAt;
        TargetOn = schedule.TargetOn;
    }

    private void Record(DateTimeOffset at, string actor, string action, string detail) =>
        CaseAudit.Append(this, at, actor, action, detail);
}
