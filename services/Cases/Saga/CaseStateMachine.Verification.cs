using Closely.BuildingBlocks.Privacy;
using Closely.Contracts;
using MassTransit;

namespace Closely.Cases.Saga;

// Intake and verification: the case opens, the requester's identity is established (by the email link or
// the DPO), an agent's authority and an unclear right are settled, and the case is routed on.
public sealed partial class CaseStateMachine
{
    private void IntakeAndVerification()
    {
        Initially(
            When(Received)
                .Then(c => c.Saga.Open(c.Message, _protector, _deadlines.For(c.Message.ReceivedAt), Now))
                .Then(c => c.Saga.TakeCorrections(RequestedCorrections(c.Message), Now))
                .IfElse(c => CaseRouting.OnReceipt(c.Message.Channel) == ReceiptRoute.CloseAtOnce,
                    optOut => optOut.CloseAs(this, Completed, _ => CaseClosing.OptedOut),
                    request => request
                        .ThenAsync(c => c.SendVerifyIdentity())
                        .ThenAsync(c => Notices.ToRequester(c, Notice.Acknowledgement(c.Saga.NeedsTriage, c.Message.StatusUrl(_protector))))
                        .TransitionTo(AwaitingVerification)
                        .PlanDeadlines(this)));

        // Intake may publish a stored request again; the case already exists, so nothing happens.
        DuringAny(Ignore(Received));

        During(AwaitingVerification,
            When(Verified)
                .Then(c => c.Saga.VerifiedByLink(c.Message, Now))
                .RouteAfterVerification(this),
            When(IdentityRejected)
                .CloseAs(this, Rejected, c => CaseClosing.IdentityRejected(CaseAudit.System, c.Message.Reason)),
            When(IdentityDecided)
                .IfElse(c => c.Message.Verified,
                    verified => verified
                        .Then(c => c.Saga.VerifiedByDpo(c.Message.Actor, c.Message.Reason, Now))
                        .RouteAfterVerification(this),
                    rejected => rejected
                        .CloseAs(this, Rejected, c => CaseClosing.IdentityRejected(c.Message.Actor, c.Message.Reason))));

        During(AwaitingVerification, AwaitingTriage, AwaitingAuthorityApproval,
            When(AuthorityDecided, c => c.Saga.Authority == AuthorityReview.Pending && !c.Message.Approved)
                .Then(c => c.Saga.RejectAuthority())
                .CloseAs(this, Rejected, c => CaseClosing.AuthorityRejected(c.Message.Actor, c.Message.Reason)));

        // Approved before the subject confirmed, or while the right is unclear: the case proceeds once those are settled.
        During(AwaitingVerification, AwaitingTriage,
            When(AuthorityDecided, c => c.Saga.Authority == AuthorityReview.Pending && c.Message.Approved)
                .Then(c => c.Saga.ApproveAuthority(c.Message.Actor, c.Message.Reason, Now))
                .PlanDeadlines(this));

        During(AwaitingAuthorityApproval,
            When(AuthorityDecided, c => c.Saga.Authority == AuthorityReview.Pending && c.Message.Approved)
                .Then(c => c.Saga.ApproveAuthority(c.Message.Actor, c.Message.Reason, Now))
                .RouteAfterVerification(this));

        // The right is set: a verified case waiting for it proceeds, one still waiting for something else keeps waiting.
        During(AwaitingTriage, AwaitingDpoAction,
            When(Reclassified, c => c.Saga.CanBeReclassifiedTo(c.Message.Right))
                .Then(c => c.Saga.Reclassify(c.Message.Actor, c.Message.Right, c.Message.Reason, Now))
                .RouteAfterVerification(this));

        During(AwaitingVerification, AwaitingAuthorityApproval,
            When(Reclassified, c => c.Saga.CanBeReclassifiedTo(c.Message.Right))
                .Then(c => c.Saga.Reclassify(c.Message.Actor, c.Message.Right, c.Message.Reason, Now))
                .PlanDeadlines(this));
    }
}
