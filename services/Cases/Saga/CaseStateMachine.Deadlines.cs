using Closely.Contracts;
using MassTransit;

namespace Closely.Cases.Saga;

// Deadlines and deliveries: a stuck step's command is sent again, a case never verified within its period closes,
// reminders put the case in the DPO's digest, an overdue case is escalated; Notification's report of a sent email
// is recorded.
public sealed partial class CaseStateMachine
{
    private void Deadlines()
    {
        DuringAny(
            When(Deadline)
                .If(c => c.Message.Kind == DeadlineKind.StepTimeout && _planner.StepTimedOut(c.Saga, Now), timedOut => timedOut
                    .Then(c => c.Saga.RecordResend(Now))
                    .ThenAsync(c => c.ResendPendingCommand()))
                .If(c => c.Message.Kind == DeadlineKind.VerificationExpired && _planner.VerificationExpired(c.Saga, Now), expired => expired
                    .CloseAs(this, Rejected, _ => CaseClosing.NotVerified(_verificationPeriod)))
                .If(c => c.Message.Kind == DeadlineKind.TargetReminder && c.Saga.OwesTargetReminder, target => target
                    .Then(c => c.Saga.RemindOfTarget(Now)))
                .If(c => c.Message.Kind == DeadlineKind.DueReminder && c.Saga.OwesDueReminder, due => due
                    .Then(c => c.Saga.RemindOfDueDate(Now)))
                .If(c => c.Message.Kind == DeadlineKind.Overdue && c.Saga.OwesOverdueEscalation, overdue => overdue
                    .Then(c => c.Saga.EscalateOverdue(Now))
                    .ThenAsync(c => Notices.ToDpo(c, Notice.Overdue)))
                // Otherwise the deadline fired twice or was overtaken by progress: nothing is owed.
                .PlanDeadlines(this),
            When(NoticeSent)
                .Then(c => c.Saga.RecordDelivery(c.Message, Now)));
    }
}
