using System.Collections.Concurrent;
using System.Security.Cryptography;
using Closely.BuildingBlocks.Persistence;
using Closely.Contracts;
using Closely.Identity.Persistence;
using Closely.IntegrationTests.Infrastructure;
using MassTransit;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Time.Testing;

namespace Closely.IntegrationTests.Identity;

/// <summary>
/// The Identity service in-process on a real database and a real RabbitMQ virtual host, on a fake clock,
/// with recorders on the notification queue and on <see cref="IdentityVerified"/>.
/// </summary>
public sealed class IdentityHost : IAsyncDisposable
{
    public static readonly TimeSpan LinkLifetime = TimeSpan.FromHours(72);

    private readonly IdentityFactory _factory;
    private readonly BusRecorders _recorders;

    private readonly string _database;

    private IdentityHost(IReadOnlyDictionary<string, string?> settings, string database)
    {
        _database = database;
        _factory = new IdentityFactory(settings, Clock);
        _recorders = new BusRecorders(_factory.Services);
    }

    public FakeTimeProvider Clock { get; } = new(DateTimeOffset.UtcNow);

    public ConcurrentBag<SendNotification> Notifications { get; private set; } = null!;

    public ConcurrentBag<IdentityVerified> Verified { get; private set; } = null!;

    public IServiceProvider Services => _factory.Services;

    public static async Task<IdentityHost> StartAsync(PlatformServers servers, string database, Uri messaging)
    {
        var settings = TestSettings.For(servers, database, messaging);
        settings["Identity:LinkLifetime"] = LinkLifetime.ToString();
        settings["Identity:PublicBaseUrl"] = "http://localhost";
        var host = new IdentityHost(settings, database);
        await TestSettings.WaitUntilHealthyAsync(host._factory);
        // Notification is not running: the test's recorder is the only consumer of its queue.
        host.Notifications = await host._recorders.RecordAsync<SendNotification>(CommandQueues.SendNotification);
        host.Verified = await host._recorders.RecordAsync<IdentityVerified>();
        return host;
    }

    /// <summary>A browser: keeps cookies, follows no redirects.</summary>
    public HttpClient CreateBrowser() => _factory.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });

    public async Task RequestVerificationAsync(VerifyIdentity command)
    {
        var endpoint = await Services.GetRequiredService<IBus>().GetSendEndpoint(new Uri("queue:" + CommandQueues.VerifyIdentity));
        await endpoint.Send(command);
    }

    public IdentityDbContext NewDbContext()
    {
        var options = new DbContextOptionsBuilder<IdentityDbContext>();
        options.UseServiceDatabase(_database, IdentityDbContext.SchemaName);
        return new IdentityDbContext(options.Options);
    }

    public async ValueTask DisposeAsync()
    {
        await _recorders.DisposeAsync();
        await _factory.DisposeAsync();
    }

    private sealed class IdentityFactory(IReadOnlyDictionary<string, string?> settings, TimeProvider clock)
        : WebApplicationFactory<IdentityDbContext>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            foreach (var (key, value) in settings)
            {
                builder.UseSetting(key, value);
            }

            builder.ConfigureTestServices(services =>
            {
                services.RemoveAll<TimeProvider>();
                services.AddSingleton(clock);
            });
        }
    }
}
