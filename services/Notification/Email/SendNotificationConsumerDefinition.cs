using Closely.Contracts;
using MassTransit;

namespace Closely.Notification.Email;

public sealed class SendNotificationConsumerDefinition : ConsumerDefinition<SendNotificationConsumer>
{
    public SendNotificationConsumerDefinition()
    {
        EndpointName = CommandQueues.SendNotification;
    }
}
