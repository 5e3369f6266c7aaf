using System.Globalization;
using Closely.BuildingBlocks.Deadlines;
using Closely.BuildingBlocks.Localization;
using Closely.BuildingBlocks.Privacy;
using Closely.Cases.Deadlines;
using Closely.Contracts;
using MassTransit;

namespace Closely.Cases.Saga;

/// <summary>
/// The data subject request case: received -> awaiting verification -> (triage, agent authority) ->
/// locating -> executing -> completed, or partially completed while a store keeps failing; rejected
/// when identity or authority is not established; refused (Art 12(5)) or withdrawn on the DPO's word.
/// Rights whose execution is not automated wait for the DPO; information about automated decisions is
/// answered by a notice; an opt-out from direct marketing is done at intake and closes at once.
/// Every handler records what happened in the case's audit trail and re-plans the next deadline,
/// which the sweeper turns into a <see cref="DeadlineReached"/>.
/// </summary>
public sealed class CaseStateMachine : MassTransitStateMachine<CaseState>
{
    private readonly StatutoryDeadlines _deadlines;
    private readonly PersonalDataProtector _protector;
    private readonly CaseDeadlinePlanner _planner;
    private readonly TimeProvider _clock;
    private readonly string _dpoEmail;

    public CaseStateMachine(
        StatutoryDeadlines deadlines,
        PersonalDataProtector protector,
        CaseDeadlinePlanner planner,
        TimeProvider clock,
        Microsoft.Extensions.Options.IOptions<CasesOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _deadlines = deadlines;
        _protector = protector;
        _planner = planner;
        _clock = clock;
        _dpoEmail = options.Value.DpoEmail;

        InstanceState(x => x.CurrentState);

        Event(() => Received, e => e.CorrelateById(m => m.Message.CaseId));
        Event(() => Verified, e => e.CorrelateById(m => m.Message.CaseId));
        Event(() => IdentityRejected, e => e.CorrelateById(m => m.Message.CaseId));
        Event(() => Located, e => e.CorrelateById(m => m.Message.CaseId));
        Event(() => StoreCompleted, e => e.CorrelateById(m => m.Message.CaseId));
        Event(() => StoreFailed, e => e.CorrelateById(m => m.Message.CaseId));
        ForExistingCase(() => Deadline, m => m.CaseId);
        ForExistingCase(() => NoticeSent, m => m.CaseId);
        ForExistingCase(() => AuthorityDecided, m => m.CaseId);
        ForExistingCase(() => IdentityDecided, m => m.CaseId);
        ForExistingCase(() => ExtensionAsked, m => m.CaseId);
        ForExistingCase(() => RefusalDecided, m => m.CaseId);
        ForExistingCase(() => StoreRetryAsked, m => m.CaseId);
        ForExistingCase(() => StoreMarkedDone, m => m.CaseId);
        ForExistingCase(() => Withdrawn, m => m.CaseId);
        ForExistingCase(() => Reclassified, m => m.CaseId);
        ForExistingCase(() => CompletedByDpo, m => m.CaseId);

        // A late or repeated answer (a link used after a manual decision, a store result after the case
        // closed) finds the case past the step it belonged to: it changes nothing.
        OnUnhandledEvent(context => context.Ignore());

        Initially(
            When(Received)
                .Then(Open)
                .IfElse(c => c.Message.Channel == IntakeChannel.OptOut,
                    optOut => optOut
                        .Then(c => Close(c.Saga, "Objection to direct marketing: the address was put on the suppression list at intake."))
                        .ThenAsync(c => NotifyRequester(c, "objection-confirmed", "objection-confirmed"))
                        .TransitionTo(Completed),
                    request => request
                        .ThenAsync(SendVerify)
                        .ThenAsync(Acknowledge)
                        .TransitionTo(AwaitingVerification))
                .ThenAsync(PlanDeadlines));

        // Intake may publish a stored request again; the case already exists, so nothing happens.
        DuringAny(Ignore(Received));

        During(AwaitingVerification,
            When(Verified)
                .Then(c => c.Saga.VerifiedAt = c.Message.VerifiedAt)
                .Then(c => Audit(c.Saga, CaseAudit.System, "identity-verified", $"Identity established by {c.Message.Method}."))
                .ThenAsync(Proceed)
                .ThenAsync(PlanDeadlines),
            When(IdentityRejected)
                .Then(c => Audit(c.Saga, CaseAudit.System, "identity-rejected", c.Message.Reason))
                .Then(c => Close(c.Saga, c.Message.Reason))
                .ThenAsync(c => NotifyRequester(c, "identity-rejected", "identity-rejected"))
                .TransitionTo(Rejected)
                .ThenAsync(PlanDeadlines),
            When(IdentityDecided)
                .IfElse(c => c.Message.Verified,
                    verified => verified
                        .Then(c => c.Saga.VerifiedAt = _clock.GetUtcNow())
                        .Then(c => Audit(c.Saga, c.Message.Actor, "identity-verified", $"Identity established by the DPO's decision: {c.Message.Reason}"))
                        .ThenAsync(Proceed),
                    rejected => rejected
                        .Then(c => Audit(c.Saga, c.Message.Actor, "identity-rejected", c.Message.Reason))
                        .Then(c => Close(c.Saga, c.Message.Reason))
                        .ThenAsync(c => NotifyRequester(c, "identity-rejected", "identity-rejected"))
                        .TransitionTo(Rejected))
                .ThenAsync(PlanDeadlines));

        During(Locating,
            When(Located)
                .Then(c =>
                {
                    c.Saga.Stores = c.Message.Stores
                        .Where(s => s.TotalRows > 0 || !s.Reachable)
                        .Select(s => new StoreProgress { StoreId = s.StoreId, RowsFound = s.TotalRows, Status = StoreStatus.Pending, Reason = s.Problem })
                        .ToList();
                    c.Saga.StepStartedAt = _clock.GetUtcNow();
                    c.Saga.StepResends = 0;
                    Audit(c.Saga, CaseAudit.System, "located", DescribeFindings(c.Message.Stores));
                })
                .IfElse(c => c.Saga.Stores.Count > 0,
                    found => found
                        .ThenAsync(c => SendStoreActions(c, StoreStatus.Pending))
                        .TransitionTo(Executing),
                    none => none
                        .Then(c => Close(c.Saga, "No data about the subject was found in any store."))
                        .ThenAsync(c => NotifyRequester(c, "completed", "erasure-completed"))
                        .TransitionTo(Completed))
                .ThenAsync(PlanDeadlines));

        During(Executing, PartiallyCompleted,
            When(StoreCompleted)
                .Then(c => RecordCompleted(c.Saga, c.Message))
                .ThenAsync(CompleteWhenAllStoresDone)
                .ThenAsync(PlanDeadlines),
            When(StoreFailed)
                .Then(c => RecordFailed(c.Saga, c.Message))
                .If(c => c.Saga.CurrentState == Executing.Name && c.Saga.Stores.TrueForAll(s => s.Status != StoreStatus.Pending),
                    settled => settled
                        .Then(c => c.Saga.StepStartedAt = _clock.GetUtcNow())
                        .ThenAsync(c => Notify(c, "partially-completed", "dpo-partially-completed", _dpoEmail))
                        .TransitionTo(PartiallyCompleted))
                .ThenAsync(PlanDeadlines),
            When(StoreMarkedDone)
                .If(c => c.Saga.Stores.Exists(s => s.StoreId == c.Message.StoreId && s.Status != StoreStatus.Completed),
                    open => open
                        .Then(MarkDone)
                        .ThenAsync(CompleteWhenAllStoresDone)
                        .ThenAsync(PlanDeadlines)));

        During(PartiallyCompleted,
            When(StoreRetryAsked)
                .If(c => c.Saga.Stores.Exists(s => s.StoreId == c.Message.StoreId && s.Status == StoreStatus.Failed),
                    failed => failed
                        .Then(c =>
                        {
                            c.Saga.Stores.Single(s => s.StoreId == c.Message.StoreId).Status = StoreStatus.Pending;
                            c.Saga.StepStartedAt = _clock.GetUtcNow();
                            c.Saga.StepResends = 0;
                            Audit(c.Saga, c.Message.Actor, "store-retried", $"The action on store {c.Message.StoreId} was sent again.");
                        })
                        .ThenAsync(c => SendStoreActions(c, StoreStatus.Pending))
                        .TransitionTo(Executing)
                        .ThenAsync(PlanDeadlines)));

        During(AwaitingVerification, AwaitingTriage, AwaitingAuthorityApproval,
            When(AuthorityDecided)
                .If(c => c.Saga.Authority == AuthorityReview.Pending,
                    pending => pending.IfElse(c => c.Message.Approved,
                        approved => approved
                            .Then(c => c.Saga.Authority = AuthorityReview.Approved)
                            .Then(c => Audit(c.Saga, c.Message.Actor, "authority-approved", c.Message.Reason))
                            .If(c => c.Saga.CurrentState == AwaitingAuthorityApproval.Name, ready => ready.ThenAsync(Proceed))
                            .ThenAsync(PlanDeadlines),
                        rejected => rejected
                            .Then(c => c.Saga.Authority = AuthorityReview.Rejected)
                            .Then(c => Audit(c.Saga, c.Message.Actor, "authority-rejected", c.Message.Reason))
                            .Then(c => Close(c.Saga, c.Message.Reason))
                            .ThenAsync(c => NotifyRequester(c, "authority-rejected", "authority-rejected", ("reason", c.Message.Reason)))
                            .TransitionTo(Rejected)
                            .ThenAsync(PlanDeadlines))));

        During(AwaitingVerification, AwaitingTriage, AwaitingAuthorityApproval, AwaitingDpoAction,
            When(Reclassified)
                .If(c => c.Saga.NeedsTriage || c.Saga.Right != c.Message.Right,
                    changed => changed
                        .Then(c =>
                        {
                            Audit(c.Saga, c.Message.Actor, "reclassified", $"Right set to {c.Message.Right} (was {c.Saga.Right}): {c.Message.Reason}");
                            c.Saga.Right = c.Message.Right;
                            c.Saga.NeedsTriage = false;
                        })
                        .If(c => c.Saga.CurrentState == AwaitingTriage.Name || c.Saga.CurrentState == AwaitingDpoAction.Name,
                            verified => verified.ThenAsync(Proceed))
                        .ThenAsync(PlanDeadlines)));

        During(AwaitingDpoAction,
            When(CompletedByDpo)
                .Then(c => Audit(c.Saga, c.Message.Actor, "completed", c.Message.Note))
                .Then(c => Close(c.Saga, c.Message.Note))
                .ThenAsync(c => NotifyRequester(c, "completed", "request-completed", ("note", c.Message.Note)))
                .TransitionTo(Completed)
                .ThenAsync(PlanDeadlines));

        DuringAny(
            When(Deadline)
                .ThenAsync(OnDeadline)
                .ThenAsync(PlanDeadlines),
            When(NoticeSent)
                .Then(RecordDelivery),
            When(ExtensionAsked)
                .If(c => !IsClosed(c.Saga) && !c.Saga.Extended,
                    open => open
                        .ThenAsync(Extend)
                        .ThenAsync(PlanDeadlines)),
            When(RefusalDecided)
                .If(c => !IsClosed(c.Saga),
                    open => open
                        .Then(c => Audit(c.Saga, c.Message.Actor, "refused", $"Refused under Art 12(5): {c.Message.Reason}"))
                        .Then(c => Close(c.Saga, c.Message.Reason))
                        .ThenAsync(c => NotifyRequester(c, "refused", "refusal", ("reason", c.Message.Reason)))
                        .TransitionTo(Refused)
                        .ThenAsync(PlanDeadlines)),
            When(Withdrawn)
                .If(c => !IsClosed(c.Saga),
                    open => open
                        .Then(c => Audit(c.Saga, c.Message.Actor, "withdrawn", c.Message.Reason))
                        .Then(c => Close(c.Saga, c.Message.Reason))
                        .ThenAsync(c => NotifyRequester(c, "withdrawn", "withdrawn"))
                        .TransitionTo(WithdrawnByRequester)
                        .ThenAsync(PlanDeadlines)));
    }

    public State AwaitingVerification { get; private set; } = null!;

    /// <summary>Verified, but the right is unclear (an email that could not be classified): the DPO classifies it.</summary>
    public State AwaitingTriage { get; private set; } = null!;

    /// <summary>An agent's request whose written authority the DPO has not yet approved.</summary>
    public State AwaitingAuthorityApproval { get; private set; } = null!;

    public State Locating { get; private set; } = null!;

    public State Executing { get; private set; } = null!;

    public State PartiallyCompleted { get; private set; } = null!;

    public State Completed { get; private set; } = null!;

    public State Rejected { get; private set; } = null!;

    /// <summary>Refused under Art 12(5) as manifestly unfounded or excessive.</summary>
    public State Refused { get; private set; } = null!;

    /// <summary>Withdrawn at the requester's wish.</summary>
    public State WithdrawnByRequester { get; private set; } = null!;

    /// <summary>Verified; the right's execution is not automated, so the DPO acts.</summary>
    public State AwaitingDpoAction { get; private set; } = null!;

    public Event<DsrReceived> Received { get; private set; } = null!;

    public Event<IdentityVerified> Verified { get; private set; } = null!;

    public Event<IdentityRejected> IdentityRejected { get; private set; } = null!;

    public Event<SubjectDataLocated> Located { get; private set; } = null!;

    public Event<StoreActionCompleted> StoreCompleted { get; private set; } = null!;

    public Event<StoreActionFailed> StoreFailed { get; private set; } = null!;

    public Event<DeadlineReached> Deadline { get; private set; } = null!;

    public Event<NotificationSent> NoticeSent { get; private set; } = null!;

    public Event<DecideAuthority> AuthorityDecided { get; private set; } = null!;

    public Event<DecideIdentity> IdentityDecided { get; private set; } = null!;

    public Event<ExtendDeadline> ExtensionAsked { get; private set; } = null!;

    public Event<RefuseRequest> RefusalDecided { get; private set; } = null!;

    public Event<RetryStore> StoreRetryAsked { get; private set; } = null!;

    public Event<MarkStoreDone> StoreMarkedDone { get; private set; } = null!;

    public Event<WithdrawRequest> Withdrawn { get; private set; } = null!;

    public Event<ReclassifyRequest> Reclassified { get; private set; } = null!;

    public Event<CompleteRequest> CompletedByDpo { get; private set; } = null!;

    /// <summary>The names of the states in which a case has its outcome, for queries over stored cases.</summary>
    public static IReadOnlyList<string> ClosedStates { get; } =
        [nameof(Completed), nameof(Rejected), nameof(Refused), nameof(WithdrawnByRequester)];

    /// <summary>A closed case has its outcome; no deadline applies to it any more.</summary>
    public bool IsClosed(CaseState saga)
    {
        ArgumentNullException.ThrowIfNull(saga);
        return ClosedStates.Contains(saga.CurrentState);
    }

    /// <summary>A step whose answer comes from another service, so its command may need re-sending.</summary>
    public bool IsWaitingOnMachineStep(CaseState saga)
    {
        ArgumentNullException.ThrowIfNull(saga);
        return saga.CurrentState == AwaitingVerification.Name
            || saga.CurrentState == Locating.Name
            || saga.CurrentState == Executing.Name;
    }

    private void Audit(CaseState saga, string actor, string action, string detail) =>
        CaseAudit.Append(saga, _clock.GetUtcNow(), actor, action, detail);

    /// <summary>An event about a case that must exist already: for an unknown case it is dropped.</summary>
    private void ForExistingCase<T>(System.Linq.Expressions.Expression<Func<Event<T>>> property, Func<T, Guid> caseIdOf)
        where T : class =>
        Event(property, e =>
        {
            e.CorrelateById(m => caseIdOf(m.Message));
            e.OnMissingInstance(m => m.Discard());
        });

    private void Open(BehaviorContext<CaseState, DsrReceived> context)
    {
        var saga = context.Saga;
        var message = context.Message;
        var schedule = _deadlines.For(message.ReceivedAt);
        saga.Reference = message.Reference;
        saga.Right = message.Right;
        saga.Channel = message.Channel;
        saga.ReceivedAt = message.ReceivedAt;
        saga.ReceivedOn = schedule.ReceivedOn;
        saga.DueAt = schedule.DueAt;
        saga.DueOn = schedule.DueOn;
        saga.TargetAt = schedule.TargetAt;
        saga.TargetOn = schedule.TargetOn;
        saga.RequesterEmail = PersonalDataProtector.NormaliseEmail(message.RequesterEmail);
        saga.RequesterEmailIndex = _protector.EmailIndex(message.RequesterEmail);
        saga.NeedsTriage = message.NeedsTriage;
        saga.ClassificationConfidence = message.ClassificationConfidence;
        saga.AgentEmail = message.AgentEmail is null ? null : PersonalDataProtector.NormaliseEmail(message.AgentEmail);
        saga.Authority = message.AgentEmail is null ? AuthorityReview.NotNeeded : AuthorityReview.Pending;
        saga.Details = message.Details;
        saga.ClientId = message.ClientId;
        saga.Language = PublicLanguages.Of(message.Language).Code;
        saga.StepStartedAt = _clock.GetUtcNow();

        var how = message.AgentEmail is null ? "" : " by an authorised agent";
        var triage = message.NeedsTriage
            ? string.Create(CultureInfo.InvariantCulture, $"; the right is unclear (best guess {message.Right}, confidence {message.ClassificationConfidence:0.00}) and needs triage")
            : "";
        Audit(saga, CaseAudit.System, "received",
            $"{message.Right} request {message.Reference} received through {message.Channel}{how} on {schedule.ReceivedOn:yyyy-MM-dd}; due {schedule.DueOn:yyyy-MM-dd}{triage}.");
    }

    private void Close(CaseState saga, string? outcome)
    {
        saga.ClosedAt = _clock.GetUtcNow();
        saga.Outcome = outcome;
    }

    /// <summary>
    /// The requester is verified: once the right is clear and an agent's authority approved, carry the
    /// right out, or answer it, or hand it to the DPO.
    /// </summary>
    private async Task Proceed(BehaviorContext<CaseState> context)
    {
        var saga = context.Saga;
        saga.StepStartedAt = _clock.GetUtcNow();
        saga.StepResends = 0;
        if (saga.NeedsTriage)
        {
            await context.TransitionToState(AwaitingTriage);
            await Notify(context, "triage", "dpo-action-needed", _dpoEmail, ("action", "classify the request (its right is unclear)"));
        }
        else if (saga.Authority == AuthorityReview.Pending)
        {
            await context.TransitionToState(AwaitingAuthorityApproval);
            await Notify(context, "authority-review", "dpo-action-needed", _dpoEmail, ("action", "review the agent's written authority"));
        }
        else if (saga.Right == DataSubjectRight.Erasure)
        {
            await SendLocate(context);
            await context.TransitionToState(Locating);
        }
        else if (saga.Right == DataSubjectRight.AutomatedDecisionInformation)
        {
            Close(saga, "Answered with information: Closely makes no decisions based solely on automated processing.");
            Audit(saga, CaseAudit.System, "answered", saga.Outcome!);
            await NotifyRequester(context, "completed", "automated-decision-information");
            await context.TransitionToState(Completed);
        }
        else
        {
            await context.TransitionToState(AwaitingDpoAction);
            await Notify(context, "dpo-action", "dpo-action-needed", _dpoEmail, ("action", $"carry out the {saga.Right} request"));
        }
    }

    private async Task Extend(BehaviorContext<CaseState, ExtendDeadline> context)
    {
        var saga = context.Saga;
        var now = _clock.GetUtcNow();
        if (!_deadlines.CanExtend(saga.ReceivedAt, now))
        {
            Audit(saga, context.Message.Actor, "extension-refused",
                $"An extension may be given only within the first month, which ended on {saga.DueOn:yyyy-MM-dd} (Art 12(3)).");
            return;
        }

        var schedule = _deadlines.For(saga.ReceivedAt, extended: true);
        saga.Extended = true;
        saga.ExtensionReason = context.Message.Reason;
        saga.DueAt = schedule.DueAt;
        saga.DueOn = schedule.DueOn;
        saga.TargetAt = schedule.TargetAt;
        saga.TargetOn = schedule.TargetOn;
        // The reminders start again for the new dates.
        saga.TargetReminderSent = false;
        saga.DueReminderSent = false;
        Audit(saga, context.Message.Actor, "extended", $"Due date extended to {schedule.DueOn:yyyy-MM-dd}: {context.Message.Reason}");
        await NotifyRequester(context, "extension", "extension-notice", ("reason", context.Message.Reason));
    }

    /// <summary>Every handler ends here: plan the next deadline and tell read models what changed.</summary>
    private async Task PlanDeadlines(BehaviorContext<CaseState> context)
    {
        var saga = context.Saga;
        _planner.Plan(saga, this);
        await context.Publish(new CaseStatusChanged
        {
            CaseId = saga.CorrelationId,
            State = saga.CurrentState,
            Right = saga.Right,
            DueOn = saga.DueOn,
            Extended = saga.Extended,
            NeedsTriage = saga.NeedsTriage,
            ExtensionReason = saga.ExtensionReason,
            Stores = saga.Stores.Select(s => new StoreStatusView { StoreId = s.StoreId, Status = s.Status.ToString(), Reason = s.Reason }).ToList(),
            // The repository bumps the version when it saves this change.
            Version = saga.Version + 1,
        }, context.CancellationToken);
    }

    private async Task CompleteWhenAllStoresDone(BehaviorContext<CaseState> context)
    {
        var saga = context.Saga;
        if (saga.Stores.TrueForAll(s => s.Status == StoreStatus.Completed))
        {
            Close(saga, null);
            Audit(saga, CaseAudit.System, "completed", "The action is done in every store.");
            await NotifyRequester(context, "completed", "erasure-completed");
            await context.TransitionToState(Completed);
        }
        else if (saga.Stores.TrueForAll(s => s.Status != StoreStatus.Pending))
        {
            await context.TransitionToState(PartiallyCompleted);
        }
    }

    private void RecordCompleted(CaseState saga, StoreActionCompleted message)
    {
        var store = saga.Stores.Find(s => s.StoreId == message.StoreId);
        if (store is null || store.Status == StoreStatus.Completed)
        {
            return;
        }

        store.Status = StoreStatus.Completed;
        store.RowsAffected = message.RowsAffected;
        store.CompletedAt = message.CompletedAt;
        store.Reason = null;
        Audit(saga, CaseAudit.System, "store-completed",
            string.Create(CultureInfo.InvariantCulture, $"{message.Action} done in store {message.StoreId}: {message.RowsAffected} rows affected at {message.CompletedAt:O}."));
    }

    private void RecordFailed(CaseState saga, StoreActionFailed message)
    {
        var store = saga.Stores.Find(s => s.StoreId == message.StoreId);
        if (store is null || store.Status == StoreStatus.Completed)
        {
            return;
        }

        store.Status = StoreStatus.Failed;
        store.Failures++;
        store.Reason = message.Reason;
        Audit(saga, CaseAudit.System, "store-failed", $"{message.Action} failed in store {message.StoreId}: {message.Reason}");
    }

    private void MarkDone(BehaviorContext<CaseState, MarkStoreDone> context)
    {
        var store = context.Saga.Stores.Single(s => s.StoreId == context.Message.StoreId);
        store.Status = StoreStatus.Completed;
        store.CompletedAt = _clock.GetUtcNow();
        store.ManualEvidence = context.Message.Evidence;
        store.Reason = null;
        Audit(context.Saga, context.Message.Actor, "store-done-by-hand", $"Store {store.StoreId} marked done by hand. Evidence: {context.Message.Evidence}");
    }

    private void RecordDelivery(BehaviorContext<CaseState, NotificationSent> context)
    {
        var notice = context.Saga.Notices.Find(n => n.Key == context.Message.NotificationKey);
        if (notice is null || notice.SentAt is not null)
        {
            return;
        }

        notice.SentAt = context.Message.SentAt;
        Audit(context.Saga, CaseAudit.System, "notice-sent",
            string.Create(CultureInfo.InvariantCulture, $"Email '{notice.Template}' to the {notice.To} sent at {context.Message.SentAt:O}."));
    }

    private static string DescribeFindings(IReadOnlyList<StoreFindings> stores) =>
        "Searched every store: " + string.Join("; ", stores.Select(s => s.Reachable
            ? string.Create(CultureInfo.InvariantCulture, $"{s.StoreId}: {s.TotalRows} rows")
            : $"{s.StoreId}: not searchable ({s.Problem})")) + ".";

    private async Task OnDeadline(BehaviorContext<CaseState, DeadlineReached> context)
    {
        var saga = context.Saga;
        var now = _clock.GetUtcNow();
        switch (context.Message.Kind)
        {
            case DeadlineKind.StepTimeout when _planner.StepTimeoutOf(saga, this) is { } timeout && now >= saga.StepStartedAt + timeout:
                saga.StepResends++;
                saga.StepStartedAt = now;
                await ResendPendingCommand(context);
                break;
            case DeadlineKind.TargetReminder when !saga.TargetReminderSent && !IsClosed(saga):
                saga.TargetReminderSent = true;
                Audit(saga, CaseAudit.System, "reminder", $"The internal target {saga.TargetOn:yyyy-MM-dd} is near: the case is in the DPO's daily reminder digest.");
                break;
            case DeadlineKind.DueReminder when !saga.DueReminderSent && !IsClosed(saga):
                saga.DueReminderSent = true;
                Audit(saga, CaseAudit.System, "reminder", $"The legal due date {saga.DueOn:yyyy-MM-dd} is near: the case is in the DPO's daily reminder digest.");
                break;
            case DeadlineKind.Overdue when !saga.OverdueEscalated && !IsClosed(saga):
                saga.OverdueEscalated = true;
                Audit(saga, CaseAudit.System, "overdue", $"The due date {saga.DueOn:yyyy-MM-dd} passed with the case open; escalated to the DPO.");
                await Notify(context, "overdue", "dpo-overdue", _dpoEmail);
                break;
            default:
                // A deadline fired twice or overtaken by progress: nothing is owed.
                break;
        }
    }

    private Task ResendPendingCommand(BehaviorContext<CaseState> context)
    {
        var state = context.Saga.CurrentState;
        if (state == AwaitingVerification.Name)
        {
            return SendVerify(context);
        }

        if (state == Locating.Name)
        {
            return SendLocate(context);
        }

        return SendStoreActions(context, state == Executing.Name ? StoreStatus.Pending : StoreStatus.Failed);
    }

    private static Task SendVerify(BehaviorContext<CaseState> context) =>
        SendCommand(context, CommandQueues.VerifyIdentity, new VerifyIdentity
        {
            CaseId = context.Saga.CorrelationId,
            Reference = context.Saga.Reference,
            RequesterEmail = context.Saga.RequesterEmail,
            Language = context.Saga.Language,
        });

    private static Task SendLocate(BehaviorContext<CaseState> context) =>
        SendCommand(context, CommandQueues.LocateSubjectData, new LocateSubjectData
        {
            CaseId = context.Saga.CorrelationId,
            SubjectEmail = context.Saga.RequesterEmail,
        });

    private static async Task SendStoreActions(BehaviorContext<CaseState> context, StoreStatus status)
    {
        foreach (var store in context.Saga.Stores.Where(s => s.Status == status))
        {
            await SendCommand(context, CommandQueues.ExecuteStoreAction, new ExecuteStoreAction
            {
                CaseId = context.Saga.CorrelationId,
                StoreId = store.StoreId,
                Action = StoreActionKind.Erase,
                SubjectEmail = context.Saga.RequesterEmail,
            });
        }
    }

    /// <summary>
    /// The acknowledgement, with the status link Intake made. It names the right only when it is clear: for a mail
    /// whose right is unclear it says the privacy team will look at it, never a guess.
    /// </summary>
    private Task Acknowledge(BehaviorContext<CaseState, DsrReceived> context) =>
        NotifyRequester(context, "acknowledgement", context.Saga.NeedsTriage ? "acknowledgement-unclear" : "acknowledgement",
            ("statusUrl", context.Message.StatusUrl?.ToString() ?? ""));

    /// <summary>A notice to the requester, and a copy to the agent who acts for them.</summary>
    private async Task NotifyRequester(BehaviorContext<CaseState> context, string key, string template, params (string Key, string Value)[] values)
    {
        await Notify(context, key, template, context.Saga.RequesterEmail, "requester", values);
        if (context.Saga.AgentEmail is { } agent)
        {
            await Notify(context, key + "-agent", template, agent, "agent", values);
        }
    }

    private Task Notify(BehaviorContext<CaseState> context, string key, string template, string recipient, params (string Key, string Value)[] values) =>
        Notify(context, key, template, recipient, "DPO", values);

    private Task Notify(BehaviorContext<CaseState> context, string key, string template, string recipient, string to, (string Key, string Value)[] values)
    {
        if (!context.Saga.Notices.Exists(n => n.Key == key))
        {
            context.Saga.Notices.Add(new NoticeRecord { Key = key, Template = template, To = to, RequestedAt = _clock.GetUtcNow() });
        }

        return SendCommand(context, CommandQueues.SendNotification, new SendNotification
        {
            CaseId = context.Saga.CorrelationId,
            NotificationKey = key,
            Template = template,
            RecipientEmail = recipient,
            Values = NotificationValues.For(context.Saga, values),
            Language = context.Saga.Language,
        });
    }

    private static async Task SendCommand<T>(BehaviorContext<CaseState> context, string queue, T message)
        where T : class
    {
        var endpoint = await context.GetSendEndpoint(new Uri($"queue:{queue}"));
        await endpoint.Send(message, context.CancellationToken);
    }
}
