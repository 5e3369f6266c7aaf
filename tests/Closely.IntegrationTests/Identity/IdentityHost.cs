using System.Collections.Concurrent;
using System.Security.Cryptography;
using Closely.BuildingBlocks.Persistence;
using Closely.Contracts;
using Closely.Identity.Persistence;
using Closely.IntegrationTests.Infrastructure;
using MassTransit;
using Microsoft.AspNetCore.Mvc.Testing;
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

    private readonly ServiceFactory<IdentityDbContext> _factory;
    private readonly BusRecorders _recorders;

    private readonly string _database;

    private IdentityHost(IReadOnlyDictionary<string, string?> settings, string database, bool onLoopback)
    {
        _database = database;
        _factory = new ServiceFactory<IdentityDbContext>(settings, testServices: services =>
        {
            services.RemoveAll<TimeProvider>();
            services.AddSingleton<TimeProvider>(Clock);
        });
        BaseUrl = onLoopback ? _factory.ServeOnLoopback() : null;
        _recorders = new BusRecorders(_factory.Services);
    }

    public FakeTimeProvider Clock { get; } = new(DateTimeOffset.UtcNow);

    public ConcurrentBag<SendNotification> Notifications { get; private set; } = null!;

    public ConcurrentBag<IdentityVerified> Verified { get; private set; } = null!;

    public IServiceProvider Services => _factory.Services;

    /// <summary>The loopback address a browser reaches the pages on, when started with <c>onLoopback</c>.</summary>
    public Uri? BaseUrl { get; }

    /// <summary>Starts the service; <paramref name="onLoopback"/> serves it on a loopback port for a browser.</summary>
    public static async Task<IdentityHost> StartAsync(
        PlatformServers servers, string database, Uri messaging, bool onLoopback = false, int rateLimitPermits = 30)
    {
        var settings = TestSettings.For(servers, database, messaging);
        settings["Identity:LinkLifetime"] = LinkLifetime.ToString();
        settings["Identity:PublicBaseUrl"] = "http://localhost";
        settings["Identity:RateLimitPermits"] = rateLimitPermits.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var host = new IdentityHost(settings, database, onLoopback);
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
}
