using Closely.Cases;
using Closely.DataLocator.Persistence;
using Closely.ErasureExecutor.Persistence;
using Closely.Identity.Persistence;
using Closely.Intake.Persistence;
using Closely.Notification.Persistence;
using Closely.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Mvc.Testing;

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
    public Task Intake_is_healthy() => AssertHealthyAsync(new ServiceFactory<IntakeDbContext>(Settings()));

    [Fact]
    public Task Identity_is_healthy() => AssertHealthyAsync(new ServiceFactory<IdentityDbContext>(Settings()));

    [Fact]
    public Task DataLocator_is_healthy() => AssertHealthyAsync(new ServiceFactory<DataLocatorDbContext>(Settings()));

    [Fact]
    public Task ErasureExecutor_is_healthy() => AssertHealthyAsync(new ServiceFactory<ErasureExecutorDbContext>(Settings()));

    [Fact]
    public Task Notification_is_healthy() => AssertHealthyAsync(new ServiceFactory<NotificationDbContext>(Settings()));

    [Fact]
    public Task Cases_is_healthy() => AssertHealthyAsync(new ServiceFactory<CasesOptions>(Settings()));

    [Fact]
    public async Task A_service_whose_database_is_unreachable_is_not_healthy()
    {
        var settings = Settings();
        settings["ConnectionStrings:closely"] = "Host=127.0.0.1;Port=1;Database=nowhere;Username=x;Password=y;Timeout=2";
        await using var factory = new ServiceFactory<NotificationDbContext>(settings);
        using var client = factory.CreateClient();

        var response = await client.GetAsync(new Uri("/health", UriKind.Relative));

        Assert.Equal(System.Net.HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Equal(System.Net.HttpStatusCode.OK, (await client.GetAsync(new Uri("/alive", UriKind.Relative))).StatusCode);
    }

    private Dictionary<string, string?> Settings() => TestSettings.For(servers, _database, _vhost);

    private static async Task AssertHealthyAsync<T>(WebApplicationFactory<T> factory)
        where T : class
    {
        await using (factory)
        {
            await TestSettings.WaitUntilHealthyAsync(factory);
        }
    }
}
