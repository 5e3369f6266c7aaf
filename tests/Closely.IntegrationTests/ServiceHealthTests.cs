using Closely.Cases;
using Closely.DataLocator.Locating;
using Closely.ErasureExecutor.Erasure;
using Closely.Identity.Persistence;
using Closely.Intake;
using Closely.Notification.Persistence;
using Closely.IntegrationTests.Infrastructure;

namespace Closely.IntegrationTests;

/// <summary>Every service starts with its real wiring, reaches its database and the bus, and says so on /health.</summary>
[Collection(PlatformServersCollection.Name)]
public sealed class ServiceHealthTests(PlatformServers servers) : IAsyncLifetime
{
    private string _database = "";
    private Uri _vhost = null!;

    public async Task InitializeAsync()
    {
        _database = await PlatformDatabase.CreateAsync(servers, "health");
        _vhost = await servers.CreateVirtualHostAsync("health");
    }

    public Task DisposeAsync() => servers.DeleteVirtualHostAsync(_vhost);

    [Fact]
    public Task Intake_is_healthy() => AssertHealthyAsync<IntakeOptions>();

    [Fact]
    public Task Identity_is_healthy() => AssertHealthyAsync<IdentityDbContext>();

    [Fact]
    public Task DataLocator_is_healthy() => AssertHealthyAsync<LocateSubjectDataConsumer>();

    [Fact]
    public Task ErasureExecutor_is_healthy() => AssertHealthyAsync<ExecuteStoreActionConsumer>();

    [Fact]
    public Task Notification_is_healthy() => AssertHealthyAsync<NotificationDbContext>();

    [Fact]
    public Task Cases_is_healthy() => AssertHealthyAsync<CasesOptions>();

    [Fact]
    public async Task A_service_whose_database_is_unreachable_is_not_healthy()
    {
        await using var host = await ServiceHost<NotificationDbContext>.StartAsync(
            servers, "Host=127.0.0.1;Port=1;Database=nowhere;Username=x;Password=y;Timeout=2", _vhost, options => options.WaitUntilHealthy = false);

        var response = await host.Client.GetAsync(new Uri("/health", UriKind.Relative));

        Assert.Equal(System.Net.HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.OK, (await host.Client.GetAsync(new Uri("/alive", UriKind.Relative))).StatusCode);
    }

    /// <summary>Starting waits until /health answers Healthy, and fails the test if it never does.</summary>
    private async Task AssertHealthyAsync<TService>()
        where TService : class
    {
        await using var host = await ServiceHost<TService>.StartAsync(servers, _database, _vhost);
        using var health = await host.Client.GetAsync(new Uri("/health", UriKind.Relative));
        Assert.Equal("Healthy", await health.Content.ReadAsStringAsync());
    }
}
