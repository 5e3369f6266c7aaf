using MassTransit;

namespace Closely.Cases.Saga;

// Execution per store: the subject is searched for in every store, the action goes to each store that holds
// data, and the case settles on the stores' results, the DPO's retries and steps done by hand.
public sealed partial class CaseStateMachine
{
    private void ExecutionPerStore()
    {
        During(Locating,
            When(Located)
                .Then(c => c.Saga.RecordFindings(c.Message.Stores, Now))
                .IfElse(c => c.Saga.Stores.Count > 0,
                    found => found
                        .ThenAsync(c => c.SendStoreActions(StoreStatus.Pending))
                        .TransitionTo(Executing)
                        .PlanDeadlines(this),
                    none => none.CloseAs(this, Completed, c => CaseClosing.NothingFound(c.Saga))));

        During(Executing, PartiallyCompleted,
            When(StoreCompleted)
                .Then(c => c.Saga.RecordStoreCompleted(c.Message, Now))
                .SettleStores(this),
            When(StoreFailed)
                .Then(c => c.Saga.RecordStoreFailed(c.Message, Now))
                .SettleStores(this),
            When(StoreMarkedDone, c => c.Saga.OpenStore(c.Message.StoreId) is not null)
                .Then(c => c.Saga.MarkStoreDone(c.Message, Now))
                .SettleStores(this));

        During(PartiallyCompleted,
            When(StoreRetryAsked, c => c.Saga.HasFailedStore(c.Message.StoreId))
                .Then(c => c.Saga.RetryStore(c.Message, Now))
                .ThenAsync(c => c.SendStoreActions(StoreStatus.Pending))
                .TransitionTo(Executing)
                .PlanDeadlines(this));
    }
}
