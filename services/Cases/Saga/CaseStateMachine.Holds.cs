using Closely.Contracts;
using MassTransit;

namespace Closely.Cases.Saga;

// Legal holds (Art 17(3), ADR 28 and 31): an erasure that kept rows under a hold completes with them restricted; the
// completed case keeps a deadline for the day the hold ends, and then the stores erase those rows, per store as Executing.
public sealed partial class CaseStateMachine
{
    private void HeldRowsErasure() =>
        During(Completed,
            When(Deadline, c => c.Message.Kind == DeadlineKind.HoldEnded && c.Saga.HoldEnded(Now))
                .Then(c => c.Saga.StartHeldErasure(Now))
                .ThenAsync(c => c.SendStoreActions(StoreStatus.Pending))
                .TransitionTo(Executing)
                .PlanDeadlines(this));
}
