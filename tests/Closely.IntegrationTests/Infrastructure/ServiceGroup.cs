using Closely.Cases;
using Closely.DataLocator.Locating;
using Closely.ErasureExecutor.Erasure;
using Closely.Identity.Persistence;
using Closely.Intake;
using Closely.Notification.Persistence;

namespace Closely.IntegrationTests.Infrastructure;

/// <summary>The hosts a test of a request's whole path talks to: the requester's way in, the verification link and the case.</summary>
public sealed record RequestPath(ServiceHost<IntakeOptions> Intake, ServiceHost<IdentityDbContext> Identity, ServiceHost<CasesOptions> Cases);

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

    /// <summary>
    /// The six services a request passes through, started in the order it meets them: Intake, Identity, DataLocator,
    /// ErasureExecutor, Notification, Cases.
    /// </summary>
    public async Task<RequestPath> StartRequestPathAsync()
    {
        var intake = await StartAsync<IntakeOptions>();
        var identity = await StartAsync<IdentityDbContext>();
        await StartAsync<LocateSubjectDataConsumer>();
        await StartAsync<ExecuteStoreActionConsumer>();
        await StartAsync<NotificationDbContext>();
        var cases = await StartAsync<CasesOptions>();
        return new RequestPath(intake, identity, cases);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var host in _hosts)
        {
            await host.DisposeAsync();
        }
    }
}
