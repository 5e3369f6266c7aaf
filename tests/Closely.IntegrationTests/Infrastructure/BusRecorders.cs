using System.Collections.Concurrent;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;

namespace Closely.IntegrationTests.Infrastructure;

/// <summary>
/// Queues of the test's own bound to a message type on a running service's bus, as a downstream
/// system would bind them, recording what arrives.
/// </summary>
public sealed class BusRecorders(IServiceProvider services) : IAsyncDisposable
{
    private readonly List<HostReceiveEndpointHandle> _handles = [];

    public async Task<ConcurrentBag<T>> RecordAsync<T>(string? queue = null)
        where T : class
    {
        var received = new ConcurrentBag<T>();
        var connector = services.GetRequiredService<IReceiveEndpointConnector>();
        var handle = connector.ConnectReceiveEndpoint(queue ?? $"test-recorder-{typeof(T).Name}-{Guid.NewGuid():N}", (_, endpoint) =>
            endpoint.Handler<T>(context =>
            {
                received.Add(context.Message);
                return Task.CompletedTask;
            }));
        await handle.Ready;
        _handles.Add(handle);
        return received;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var handle in _handles)
        {
            await handle.StopAsync();
        }
    }
}
