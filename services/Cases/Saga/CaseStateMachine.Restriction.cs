using MassTransit;

namespace Closely.Cases.Saga;

// Restriction (Art 18): a verified restriction with its ground is located and restricted in every store like an
// erasure (CaseRouting, Execution). Lifting it: the DPO decides with a reason, the requester is told, and only once
// Notification reports that notice sent do the stores lift it (Art 18(3)); the lift then runs per store as Executing.
// A restriction under 18(1)(a) or (d) is flagged to the DPO until they lift it or keep it with a reason.
public sealed partial class CaseStateMachine
{
    /// <summary>The DPO lifts the restriction: the requester's notice is on its way; the stores follow once it is sent.</summary>
    public State AnnouncingLift { get; private set; } = null!;

    public Event<LiftRestriction> LiftAsked { get; private set; } = null!;

    public Event<KeepRestriction> KeepAsked { get; private set; } = null!;

    private void RestrictionLifting()
    {
        ForExistingCase(() => LiftAsked, m => m.CaseId);
        ForExistingCase(() => KeepAsked, m => m.CaseId);

        During(Completed,
            When(LiftAsked, c => c.Saga.CanLiftRestriction)
                .Then(c => c.Saga.AnnounceLift(c.Message.Actor, c.Message.Reason, Now))
                .ThenAsync(c => Notices.ToRequester(c, Notice.RestrictionLift(c.Message.Reason)))
                .TransitionTo(AnnouncingLift)
                .PlanDeadlines(this),
            When(KeepAsked, c => c.Saga.AwaitsRestrictionDecision)
                .Then(c => c.Saga.KeepRestriction(c.Message.Actor, c.Message.Reason, Now))
                .PlanDeadlines(this));

        During(AnnouncingLift,
            When(NoticeSent, c => c.Saga.IsLiftNotice(c.Message.NotificationKey))
                .Then(c => c.Saga.StartLift(Now))
                .ThenAsync(c => c.SendStoreActions(StoreStatus.Pending))
                .TransitionTo(Executing)
                .PlanDeadlines(this));
    }
}
