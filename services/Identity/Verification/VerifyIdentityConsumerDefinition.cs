using Closely.Contracts;
using MassTransit;

namespace Closely.Identity.Verification;

public sealed class VerifyIdentityConsumerDefinition : ConsumerDefinition<VerifyIdentityConsumer>
{
    public VerifyIdentityConsumerDefinition()
    {
        EndpointName = CommandQueues.VerifyIdentity;
    }
}
