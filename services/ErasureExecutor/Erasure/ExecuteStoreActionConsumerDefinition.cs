using Closely.Contracts;
using MassTransit;

namespace Closely.ErasureExecutor.Erasure;

public sealed class ExecuteStoreActionConsumerDefinition : ConsumerDefinition<ExecuteStoreActionConsumer>
{
    public ExecuteStoreActionConsumerDefinition()
    {
        EndpointName = CommandQueues.ExecuteStoreAction;
    }
}
