using System.Collections.Concurrent;
using MassTransit;

namespace Closely.IntegrationTests.Infrastructure;

/// <summary>
/// What one service's bus handled, sent and published, recorded as it happens. A message counts as handled once
/// its whole receive is over: consumed, retried if need be, and whatever the consumer sent or published let out
/// of the in-memory outbox (which the consume observers alone would not tell).
/// </summary>
internal sealed class BusTraffic : IConsumeObserver, IReceiveObserver, ISendObserver, IPublishObserver
{
    public ConcurrentQueue<object> Handled { get; } = new();

    public ConcurrentQueue<object> Sent { get; } = new();

    public ConcurrentQueue<object> Published { get; } = new();

    public void ConnectTo(IBus bus)
    {
        bus.ConnectConsumeObserver(this);
        bus.ConnectReceiveObserver(this);
        bus.ConnectSendObserver(this);
        bus.ConnectPublishObserver(this);
    }

    Task IConsumeObserver.PreConsume<T>(ConsumeContext<T> context)
    {
        // Kept on the receive context (through the outbox's proxy) until the receive is over.
        context.ReceiveContext.GetOrAddPayload(() => new ConsumedMessage(context.Message));
        return Task.CompletedTask;
    }

    Task IConsumeObserver.PostConsume<T>(ConsumeContext<T> context) => Task.CompletedTask;

    Task IConsumeObserver.ConsumeFault<T>(ConsumeContext<T> context, Exception exception) => Task.CompletedTask;

    Task IReceiveObserver.PreReceive(ReceiveContext context) => Task.CompletedTask;

    Task IReceiveObserver.PostReceive(ReceiveContext context) => Complete(context);

    Task IReceiveObserver.PostConsume<T>(ConsumeContext<T> context, TimeSpan duration, string consumerType) => Task.CompletedTask;

    Task IReceiveObserver.ConsumeFault<T>(ConsumeContext<T> context, TimeSpan duration, string consumerType, Exception exception) => Task.CompletedTask;

    Task IReceiveObserver.ReceiveFault(ReceiveContext context, Exception exception) => Complete(context);

    Task ISendObserver.PreSend<T>(SendContext<T> context) => Task.CompletedTask;

    Task ISendObserver.PostSend<T>(SendContext<T> context)
    {
        Sent.Enqueue(context.Message);
        return Task.CompletedTask;
    }

    Task ISendObserver.SendFault<T>(SendContext<T> context, Exception exception) => Task.CompletedTask;

    Task IPublishObserver.PrePublish<T>(PublishContext<T> context) => Task.CompletedTask;

    Task IPublishObserver.PostPublish<T>(PublishContext<T> context)
    {
        Published.Enqueue(context.Message);
        return Task.CompletedTask;
    }

    Task IPublishObserver.PublishFault<T>(PublishContext<T> context, Exception exception) => Task.CompletedTask;

    private Task Complete(ReceiveContext context)
    {
        if (context.TryGetPayload<ConsumedMessage>(out var consumed))
        {
            Handled.Enqueue(consumed.Message);
        }

        return Task.CompletedTask;
    }

    private sealed record ConsumedMessage(object Message);
}
