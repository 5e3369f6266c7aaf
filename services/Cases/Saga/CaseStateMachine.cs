using Closely.BuildingBlocks.Deadlines;
using Closely.BuildingBlocks.Privacy;
using Closely.Cases.Deadlines;
using Closely.Contracts;
using MassTransit;
using Microsoft.Extensions.Options;

namespace Closely.Cases.Saga;

/// <summary>
/// The data subject request case: received -> awaiting verification -> (triage, agent authority) ->
/// locating -> executing -> completed, or partially completed while a store keeps failing; rejected
/// when identity or authority is not established; refused (Art 12(5)) or withdrawn on the DPO's word.
/// Rights whose execution is not automated wait for the DPO; information about automated decisions is
/// answered by a notice; an opt-out from direct marketing is done at intake and closes at once.
/// The transitions are declared by phase: <c>CaseStateMachine.Verification.cs</c> (intake and
/// verification), <c>.Execution.cs</c> (per store), <c>.Access.cs</c> (the data package), <c>.DpoActions.cs</c>,
/// <c>.Restriction.cs</c> (lifting a restriction), <c>.Holds.cs</c> (erasing held rows when their hold ends),
/// <c>.Rectification.cs</c> (the DPO's decisions on corrections), <c>.Deadlines.cs</c>. What a
/// step changes in the case and records in its audit trail is said by <see cref="CaseState"/>'s methods;
/// every handler ends by planning the next deadline, which the sweeper turns into a <see cref="DeadlineReached"/>.
/// </summary>
public sealed partial class CaseStateMachine : MassTransitStateMachine<CaseState>
{
    private readonly StatutoryDeadlines _deadlines;
    private readonly PersonalDataProtector _protector;
    private readonly CaseDeadlinePlanner _planner;
    private readonly TimeProvider _clock;
    private readonly TimeSpan _verificationPeriod;
    private readonly bool _holdPackagesForReview;

    public CaseStateMachine(
        StatutoryDeadlines deadlines,
        PersonalDataProtector protector,
        CaseDeadlinePlanner planner,
        TimeProvider clock,
        IOptions<CasesOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _deadlines = deadlines;
        _protector = protector;
        _planner = planner;
        _clock = clock;
        _holdPackagesForReview = options.Value.HoldDataPackagesForReview;
        Notices = new CaseNotices(clock, options.Value.DpoEmail);
        _verificationPeriod = options.Value.VerificationPeriod;

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

        IntakeAndVerification();
        ExecutionPerStore();
        DpoActions();
        AccessAndPortability();
        RestrictionLifting();
        HeldRowsErasure();
        Rectification();
        Deadlines();
    }

    public State AwaitingVerification { get; private set; } = null!;

    /// <summary>Verified, but the right is unclear (an email that could not be classified): the DPO classifies it.</summary>
    public State AwaitingTriage { get; private set; } = null!;

    /// <summary>An agent's request whose written authority the DPO has not yet approved.</summary>
    public State AwaitingAuthorityApproval { get; private set; } = null!;

    /// <summary>
    /// Verified; the right's execution is not automated, so the DPO acts; or the stores did what is certainly the
    /// subject's and left rows alone that an ambiguous identifier would have reached, which the DPO decides about.
    /// </summary>
    public State AwaitingDpoAction { get; private set; } = null!;

    public State Locating { get; private set; } = null!;

    public State Executing { get; private set; } = null!;

    public State PartiallyCompleted { get; private set; } = null!;

    public State Completed { get; private set; } = null!;

    public State Rejected { get; private set; } = null!;

    /// <summary>Refused under Art 12(5) as manifestly unfounded or excessive.</summary>
    public State Refused { get; private set; } = null!;

    /// <summary>Withdrawn at the requester's wish.</summary>
    public State WithdrawnByRequester { get; private set; } = null!;

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

    internal CaseNotices Notices { get; }

    internal DateTimeOffset Now => _clock.GetUtcNow();

    /// <summary>Plans the next deadline and tells read models what changed.</summary>
    internal async Task PlanDeadlinesAsync(BehaviorContext<CaseState> context)
    {
        _planner.Plan(context.Saga);
        await context.PublishStatus();
    }

    /// <summary>An event about a case that must exist already: for an unknown case it is dropped.</summary>
    private void ForExistingCase<T>(System.Linq.Expressions.Expression<Func<Event<T>>> property, Func<T, Guid> caseIdOf)
        where T : class =>
        Event(property, e =>
        {
            e.CorrelateById(m => caseIdOf(m.Message));
            e.OnMissingInstance(m => m.Discard());
        });
}
