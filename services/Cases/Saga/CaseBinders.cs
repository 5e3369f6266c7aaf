using MassTransit;

namespace Closely.Cases.Saga;

/// <summary>
/// The chains of activities the case machine uses in more than one place. Each declares its transitions with
/// <c>TransitionTo</c>, so they are part of the machine's graph, and each ends by planning the next deadline.
/// </summary>
internal static class CaseBinders
{
    /// <summary>Plans the case's next deadline and tells read models what changed: every handler ends here.</summary>
    public static EventActivityBinder<CaseState, T> PlanDeadlines<T>(this EventActivityBinder<CaseState, T> binder, CaseStateMachine machine)
        where T : class =>
        binder.ThenAsync(machine.PlanDeadlinesAsync);

    /// <summary>Ends the case: audit the decision, close, tell the requester, move to <paramref name="outcome"/>, plan.</summary>
    public static EventActivityBinder<CaseState, T> CloseAs<T>(
        this EventActivityBinder<CaseState, T> binder,
        CaseStateMachine machine,
        State outcome,
        Func<BehaviorContext<CaseState, T>, CaseClosing> closing)
        where T : class =>
        binder
            .Then(c => c.Saga.Close(closing(c), machine.Now))
            .ThenAsync(c => machine.Notices.ToRequester(c, closing(c).Notice))
            .TransitionTo(outcome)
            .PlanDeadlines(machine);

    /// <summary>
    /// The requester is verified: a new step starts, and <see cref="CaseRouting.AfterVerification(CaseState)"/> decides
    /// whether the DPO triages it or reviews the agent's authority, the stores are searched, the request is answered
    /// at once, or the DPO carries it out.
    /// </summary>
    public static EventActivityBinder<CaseState, T> RouteAfterVerification<T>(this EventActivityBinder<CaseState, T> binder, CaseStateMachine machine)
        where T : class =>
        binder
            .Then(c => c.Saga.StartStep(machine.Now))
            .If(c => CaseRouting.AfterVerification(c.Saga) == VerifiedRoute.Triage, triage => triage
                .TransitionTo(machine.AwaitingTriage)
                .ThenAsync(c => machine.Notices.ToDpo(c, Notice.Triage))
                .PlanDeadlines(machine))
            .If(c => CaseRouting.AfterVerification(c.Saga) == VerifiedRoute.AuthorityReview, review => review
                .TransitionTo(machine.AwaitingAuthorityApproval)
                .ThenAsync(c => machine.Notices.ToDpo(c, Notice.AuthorityReview))
                .PlanDeadlines(machine))
            .If(c => CaseRouting.AfterVerification(c.Saga) == VerifiedRoute.Locate, locate => locate
                .ThenAsync(c => c.SendLocateSubjectData())
                .TransitionTo(machine.Locating)
                .PlanDeadlines(machine))
            .If(c => CaseRouting.AfterVerification(c.Saga) == VerifiedRoute.AnswerWithInformation, answer => answer
                .CloseAs(machine, machine.Completed, _ => CaseClosing.AnsweredWithInformation))
            .If(c => CaseRouting.AfterVerification(c.Saga) == VerifiedRoute.DpoAction, dpo => dpo
                .TransitionTo(machine.AwaitingDpoAction)
                .ThenAsync(c => machine.Notices.ToDpo(c, Notice.DpoAction(c.Saga.Right)))
                .PlanDeadlines(machine));

    /// <summary>
    /// After a store's result: once every store is done the case completes (or, for access and portability, its package
    /// is assembled). Where a store left rows alone because an identifier was ambiguous there, the DPO is told where
    /// (ADR 19); an erasure then waits for them, while a restriction or a package, which hold the subject's own rows,
    /// go ahead. Once no store is pending any more while executing, whichever answered last, the case is partially
    /// completed, a new step (the retries of the failed stores) starts and the DPO is told.
    /// </summary>
    public static EventActivityBinder<CaseState, T> SettleStores<T>(this EventActivityBinder<CaseState, T> binder, CaseStateMachine machine)
        where T : class =>
        binder.IfElse(c => c.Saga.AllStoresCompleted,
            done => done
                .If(c => c.Saga.HasAmbiguousMatch, ambiguous => ambiguous
                    .Then(c => c.Saga.HandAmbiguityToDpo(machine.Now))
                    .ThenAsync(c => machine.Notices.ToDpo(c, Notice.AmbiguousMatch(c.Saga.AmbiguityReason))))
                .IfElse(c => c.Saga.PackageKind is not null,
                    export => export
                        .Then(c => c.Saga.StartStep(machine.Now))
                        .ThenAsync(c => c.SendAssembleDataPackage())
                        .TransitionTo(machine.Packaging)
                        .PlanDeadlines(machine),
                    other => other.IfElse(c => c.Saga.WaitsForDpoOnAmbiguity,
                        waits => waits
                            .TransitionTo(machine.AwaitingDpoAction)
                            .PlanDeadlines(machine),
                        certain => certain.CloseAs(machine, machine.Completed, c => CaseClosing.AllStoresDone(c.Saga)))),
            open => open
                .If(c => c.Saga.CurrentState == machine.Executing.Name && c.Saga.NoStorePending, settled => settled
                    .Then(c => c.Saga.StartStep(machine.Now))
                    .ThenAsync(c => machine.Notices.ToDpo(c, Notice.PartiallyCompleted))
                    .TransitionTo(machine.PartiallyCompleted))
                .PlanDeadlines(machine));
}
