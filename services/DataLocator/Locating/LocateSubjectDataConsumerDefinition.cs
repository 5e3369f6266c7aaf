using Closely.Contracts;
using MassTransit;

namespace Closely.DataLocator.Locating;

public sealed class LocateSubjectDataConsumerDefinition : ConsumerDefinition<LocateSubjectDataConsumer>
{
    public LocateSubjectDataConsumerDefinition()
    {
        EndpointName = CommandQueues.LocateSubjectData;
    }
}
