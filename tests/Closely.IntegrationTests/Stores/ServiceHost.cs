using System.Collections.Concurrent;
using Closely.IntegrationTests.Infrastructure;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;

namespace Closely.IntegrationTests.Stores;

/// <summary>A service in-process on its own platform database, RabbitMQ virtual host and the test's stores.</summary>
public sealed class ServiceHost<TMarker> : IAsyncDisposable
    where TMarker : class
{
    private readonly PlatformServers _servers;
    private readonly ServiceFactory<TMarker> _factory;
    private readonly BusRecorders _recorders;

    private ServiceHost(PlatformServers servers, Uri vhost, Dictionary<string, string?> settings)
    {
        _servers = servers;
        VirtualHost = vhost;
        _factory = new ServiceFactory<TMarker>(settings);
        _recorders = new BusRecorders(_factory.Services);
    }

    public Uri VirtualHost { get; }

    public IServiceProvider Services => _factory.Services;

    /// <summary>Starts the service with the platform settings plus <paramref name="extra"/> and waits until it is healthy.</summary>
    public static async Task<ServiceHost<TMarker>> StartAsync(
        PlatformServers servers, string purpose, IEnumerable<KeyValuePair<string, string?>> extra)
    {
        ArgumentNullException.ThrowIfNull(servers);
        var database = await PlatformDatabase.CreateAsync(servers, purpose);
        var vhost = await servers.CreateVirtualHostAsync(purpose);
        var settings = TestSettings.For(servers, database, vhost);
        foreach (var (key, value) in extra)
        {
            settings[key] = value;
        }

        var host = new ServiceHost<TMarker>(servers, vhost, settings);
        await TestSettings.WaitUntilHealthyAsync(host._factory);
        return host;
    }

    public Task<ConcurrentBag<T>> RecordAsync<T>()
        where T : class => _recorders.RecordAsync<T>();

    public async Task SendAsync<T>(string queue, T command)
        where T : class
    {
        var endpoint = await Services.GetRequiredService<IBus>().GetSendEndpoint(new Uri($"queue:{queue}"));
        await endpoint.Send(command);
    }

    public Task<int> MessagesInQueueAsync(string queue) => _servers.MessagesInQueueAsync(VirtualHost, queue);

    public async ValueTask DisposeAsync()
    {
        await _recorders.DisposeAsync();
        await _factory.DisposeAsync();
        await _servers.DeleteVirtualHostAsync(VirtualHost);
    }
}
