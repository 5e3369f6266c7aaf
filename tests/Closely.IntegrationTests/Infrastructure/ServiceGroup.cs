namespace Closely.IntegrationTests.Infrastructure;

/// <summary>
/// Several services of one test on one database and virtual host, all configured alike (e.g. the same captured
/// logs), started one by one and stopped together.
/// </summary>
public sealed class ServiceGroup(PlatformServers servers, string database, Uri messaging, Action<ServiceHostOptions>? configure = null)
    : IAsyncDisposable
{
    private readonly List<IAsyncDisposable> _hosts = [];

    /// <summary>Starts a service of the group; <paramref name="also"/> configures this one service further (e.g. a clock of its own).</summary>
    public async Task<ServiceHost<TService>> StartAsync<TService>(Action<ServiceHostOptions>? also = null)
        where TService : class
    {
        var host = await ServiceHost<TService>.StartAsync(servers, database, messaging, options =>
        {
            configure?.Invoke(options);
            also?.Invoke(options);
        });
        _hosts.Add(host);
        return host;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var host in _hosts)
        {
            await host.DisposeAsync();
        }
    }
}
