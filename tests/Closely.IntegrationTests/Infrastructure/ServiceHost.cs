using System.Collections.Concurrent;
using MassTransit;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;

namespace Closely.IntegrationTests.Infrastructure;

/// <summary>
/// One service of the platform in-process with its real wiring (its Program.cs), on a real PostgreSQL database and
/// a real RabbitMQ virtual host. <typeparamref name="TService"/> is any public class of the service's assembly.
/// <para>
/// Start it on the test class's database and virtual host, or with <c>StartAsync(servers, purpose)</c> on a fresh
/// pair of its own (deleted with it); <c>configure</c> adds settings, test services, a fake clock, captured logs or
/// a loopback port for a browser. It returns once <c>/health</c> says Healthy (its queues are bound, so nothing
/// published is lost), unless told not to wait.
/// </para>
/// <code>
/// await using var cases = await ServiceHost&lt;CasesOptions&gt;.StartAsync(servers, database, vhost, o => o.Settings["Cases:DpoEmail"] = dpo);
/// await cases.Bus.Publish(received);
/// await cases.WaitForHandledAsync&lt;DsrReceived&gt;(m => m.CaseId == received.CaseId);
/// Assert.Single(cases.Sent&lt;SendNotification&gt;(n => n.CaseId == received.CaseId));
/// </code>
/// To assert that nothing more happened, wait until the service has handled the message that could have caused it
/// (<see cref="WaitForHandledAsync{T}"/>: consumed, and what it sent and published gone out), then look at
/// <see cref="Sent{T}"/> and <see cref="Published{T}"/>, which record synchronously; never wait a fixed time.
/// Disposing stops the service and releases its connection pools.
/// </summary>
public sealed class ServiceHost<TService> : IAsyncDisposable
    where TService : class
{
    private readonly Factory _factory;
    private readonly BusRecorders _recorders;
    private readonly BusTraffic _traffic = new();
    private readonly PlatformServers _servers;
    private readonly bool _ownsTestBed;
    private readonly Uri? _baseUrl;
    private readonly string? _anchorDirectory;
    private HttpClient? _client;

    private ServiceHost(PlatformServers servers, string database, Uri messaging, ServiceHostOptions options, bool ownsTestBed)
    {
        _servers = servers;
        _ownsTestBed = ownsTestBed;
        Database = database;
        VirtualHost = messaging;
        var settings = TestSettings.For(servers, database, messaging);
        foreach (var (key, value) in options.Settings)
        {
            settings[key] = value;
        }

        _anchorDirectory = settings["Audit:AnchorDirectory"];
        _factory = new Factory(settings, options);
        if (options.ServeOnLoopback)
        {
            _baseUrl = _factory.ServeOnLoopback();
        }

        _recorders = new BusRecorders(_factory.Services);
        _traffic.ConnectTo(Bus);
    }

    /// <summary>The database the service uses (a connection string).</summary>
    public string Database { get; }

    /// <summary>The RabbitMQ virtual host the service uses (an amqp:// URI).</summary>
    public Uri VirtualHost { get; }

    /// <summary>Where a browser reaches the service, with <see cref="ServiceHostOptions.ServeOnLoopback"/>.</summary>
    public Uri BaseUrl => _baseUrl ?? throw new InvalidOperationException("The service is served on a loopback port only with ServeOnLoopback.");

    public IServiceProvider Services => _factory.Services;

    public IBus Bus => Services.GetRequiredService<IBus>();

    /// <summary>An HTTP client of the in-memory server, shared by the test; see <see cref="CreateClient"/> for one of your own.</summary>
    public HttpClient Client => _client ??= _factory.CreateClient();

    /// <summary>
    /// Starts the service on the test's database and virtual host. <paramref name="defaults"/> are settings a
    /// service's tests usually want (e.g. a sweeper that runs only when the test calls it); <paramref name="configure"/>
    /// comes after them and may change them.
    /// </summary>
    public static Task<ServiceHost<TService>> StartAsync(
        PlatformServers servers,
        string database,
        Uri messaging,
        Action<ServiceHostOptions>? configure = null,
        IReadOnlyDictionary<string, string?>? defaults = null)
    {
        ArgumentNullException.ThrowIfNull(servers);
        return StartAsync(servers, database, messaging, configure, defaults, ownsTestBed: false);
    }

    /// <summary>Starts the service on a fresh database and virtual host of its own, named after <paramref name="purpose"/> and deleted with it.</summary>
    public static async Task<ServiceHost<TService>> StartAsync(
        PlatformServers servers,
        string purpose,
        Action<ServiceHostOptions>? configure = null,
        IReadOnlyDictionary<string, string?>? defaults = null)
    {
        ArgumentNullException.ThrowIfNull(servers);
        ArgumentNullException.ThrowIfNull(purpose);
        var database = await PlatformDatabase.CreateAsync(servers, purpose.Replace('-', '_'));
        var vhost = await servers.CreateVirtualHostAsync(purpose);
        return await StartAsync(servers, database, vhost, configure, defaults, ownsTestBed: true);
    }

    /// <summary>A client of the in-memory server with its own cookies, e.g. one that follows no redirects.</summary>
    public HttpClient CreateClient(WebApplicationFactoryClientOptions? options = null) =>
        options is null ? _factory.CreateClient() : _factory.CreateClient(options);

    /// <summary>Binds a queue of the test's own to <typeparamref name="T"/>, as a downstream system would, and records what arrives.</summary>
    public Task<ConcurrentBag<T>> RecordAsync<T>(string? queue = null)
        where T : class => _recorders.RecordAsync<T>(queue);

    public async Task SendAsync<T>(string queue, T command)
        where T : class
    {
        var endpoint = await Bus.GetSendEndpoint(new Uri($"queue:{queue}"));
        await endpoint.Send(command);
    }

    /// <summary>How many messages wait in <paramref name="queue"/> of this service's virtual host, as the management API counts them.</summary>
    public Task<int> MessagesInQueueAsync(string queue) => _servers.MessagesInQueueAsync(VirtualHost, queue);

    /// <summary>The messages of type <typeparamref name="T"/> this service has handled (with or without a fault) so far.</summary>
    public IReadOnlyList<T> Handled<T>(Func<T, bool>? filter = null)
        where T : class => _traffic.Handled.OfType<T>().Where(m => filter is null || filter(m)).ToList();

    /// <summary>The messages of type <typeparamref name="T"/> this service (or the test through <see cref="Bus"/>) has sent so far.</summary>
    public IReadOnlyList<T> Sent<T>(Func<T, bool>? filter = null)
        where T : class => _traffic.Sent.OfType<T>().Where(m => filter is null || filter(m)).ToList();

    /// <summary>The messages of type <typeparamref name="T"/> this service (or the test through <see cref="Bus"/>) has published so far.</summary>
    public IReadOnlyList<T> Published<T>(Func<T, bool>? filter = null)
        where T : class => _traffic.Published.OfType<T>().Where(m => filter is null || filter(m)).ToList();

    /// <summary>Waits until this service has handled <paramref name="count"/> messages of type <typeparamref name="T"/> that match.</summary>
    public Task WaitForHandledAsync<T>(Func<T, bool> filter, int count = 1, TimeSpan? timeout = null)
        where T : class =>
        TestSettings.EventuallyAsync(
            () => Task.FromResult(Handled(filter).Count >= count), $"{count} {typeof(T).Name} handled by {typeof(TService).Assembly.GetName().Name}", timeout);

    public async ValueTask DisposeAsync()
    {
        _client?.Dispose();
        await _recorders.DisposeAsync();
        await _factory.DisposeAsync();
        if (_anchorDirectory is not null && _anchorDirectory.StartsWith(TestSettings.TemporaryRoot, StringComparison.Ordinal) && Directory.Exists(_anchorDirectory))
        {
            Directory.Delete(_anchorDirectory, recursive: true);
        }

        if (_ownsTestBed)
        {
            await _servers.DeleteVirtualHostAsync(VirtualHost);
        }
    }

    private static async Task<ServiceHost<TService>> StartAsync(
        PlatformServers servers,
        string database,
        Uri messaging,
        Action<ServiceHostOptions>? configure,
        IReadOnlyDictionary<string, string?>? defaults,
        bool ownsTestBed)
    {
        var options = new ServiceHostOptions().Set(defaults ?? new Dictionary<string, string?>());
        configure?.Invoke(options);
        var host = new ServiceHost<TService>(servers, database, messaging, options, ownsTestBed);
        if (options.WaitUntilHealthy)
        {
            await TestSettings.WaitUntilHealthyAsync(host._factory);
        }

        return host;
    }

    private sealed class Factory(IReadOnlyDictionary<string, string?> settings, ServiceHostOptions options) : WebApplicationFactory<TService>
    {
        /// <summary>Serves on a real loopback port instead of the in-memory test server; returns its base address.</summary>
        public Uri ServeOnLoopback()
        {
            UseKestrel(kestrel => kestrel.Listen(System.Net.IPAddress.Loopback, 0));
            StartServer();
            var server = Services.GetRequiredService<IServer>();
            return new Uri(server.Features.Get<IServerAddressesFeature>()!.Addresses.First());
        }

        public override async ValueTask DisposeAsync()
        {
            await base.DisposeAsync();
            // Idle pooled connections stay open until pruned minutes later; a run of many in-process
            // services would use up the server's connection slots.
            Npgsql.NpgsqlConnection.ClearAllPools();
        }

        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            foreach (var (key, value) in settings)
            {
                builder.UseSetting(key, value);
            }

            builder.ConfigureTestServices(services =>
            {
                if (options.Logs is { } logs)
                {
                    services.AddLogging(logging => logging.SetMinimumLevel(LogLevel.Debug).AddProvider(logs));
                }

                if (options.Clock is { } clock)
                {
                    services.RemoveAll<TimeProvider>();
                    services.AddSingleton(clock);
                }

                options.TestServices?.Invoke(services);
            });
        }
    }
}

/// <summary>How a test runs a <see cref="ServiceHost{TService}"/>.</summary>
public sealed class ServiceHostOptions
{
    /// <summary>Configuration on top of the database, the bus, the privacy keys and the SMTP sink every service gets.</summary>
    public Dictionary<string, string?> Settings { get; } = [];

    /// <summary>Serve on a real loopback port (<see cref="ServiceHost{TService}.BaseUrl"/>), for a browser.</summary>
    public bool ServeOnLoopback { get; set; }

    /// <summary>Return once /health says Healthy (the default); off for a service whose database or bus is meant to be unreachable.</summary>
    public bool WaitUntilHealthy { get; set; } = true;

    /// <summary>Capture every log line the service writes.</summary>
    public CapturedLogs? Logs { get; set; }

    /// <summary>Replace the service's <see cref="TimeProvider"/>, e.g. with a fake clock.</summary>
    public TimeProvider? Clock { get; set; }

    /// <summary>Change the service's registrations after its own wiring.</summary>
    public Action<IServiceCollection>? TestServices { get; set; }

    public ServiceHostOptions Set(IEnumerable<KeyValuePair<string, string?>> settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        foreach (var (key, value) in settings)
        {
            Settings[key] = value;
        }

        return this;
    }
}
