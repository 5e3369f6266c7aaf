using MassTransit;

namespace Closely.Cases.Saga;

// The DPO's decisions that end or extend a case (their decisions on identity, authority and the right are
// part of verification; retries and steps done by hand part of execution).
public sealed partial class CaseStateMachine
{
    private void DpoActions()
    {
        During(AwaitingDpoAction,
            When(CompletedByDpo)
                .CloseAs(this, Completed, c => CaseClosing.CompletedByDpo(c.Message.Actor, c.Message.Note)));

        DuringAny(
            When(ExtensionAsked, c => !c.Saga.IsClosed && !c.Saga.Extended)
                .IfElse(c => _deadlines.CanExtend(c.Saga.ReceivedAt, Now),
                    allowed => allowed
                        .Then(c => c.Saga.Extend(_deadlines.For(c.Saga.ReceivedAt, extended: true), c.Message.Actor, c.Message.Reason, Now))
                        .ThenAsync(c => Notices.ToRequester(c, Notice.Extension(c.Message.Reason))),
                    tooLate => tooLate
                        .Then(c => c.Saga.RefuseExtension(c.Message.Actor, Now)))
                .PlanDeadlines(this),
            When(RefusalDecided, c => !c.Saga.IsClosed)
                .CloseAs(this, Refused, c => CaseClosing.Refused(c.Message.Actor, c.Message.Reason)),
            When(Withdrawn, c => !c.Saga.IsClosed)
                .CloseAs(this, WithdrawnByRequester, c => CaseClosing.Withdrawn(c.Message.Actor, c.Message.Reason)));
    }
}
