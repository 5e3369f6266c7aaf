using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using Aspire.Hosting;
using Aspire.Hosting.Testing;
using Closely.AppHost.LocalServers;

namespace Closely.AppHostTests.Infrastructure;

/// <summary>
/// The whole AppHost, started once for the tests of the <see cref="PlatformCollection"/>: the servers as
/// executables (with a fresh data folder under /tmp, on ports DCP picks, so run.sh's and test.sh's servers
/// may run beside it), the six services and the dashboard. Ready when every server and service is healthy.
/// Disposing stops it and checks that no server process is left behind.
/// </summary>
public sealed class PlatformApp : IAsyncLifetime
{
    public static readonly string[] Servers = ["postgres", "messaging", "maildev", "mailbox"];
    public static readonly string[] Services = ["intake", "cases", "identity", "datalocator", "erasureexecutor", "notification"];

    // Six services, five migrations and four servers on two cores: a cold start takes minutes.
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(10);
    private static readonly TimeSpan StopTimeout = TimeSpan.FromMinutes(2);

    private readonly string _dataDirectory = Path.Combine(Path.GetTempPath(), $"closely-apphost-{Guid.NewGuid():N}");
    private DistributedApplication? _app;

    public DistributedApplication App => _app ?? throw new InvalidOperationException("The AppHost has not started.");

    /// <summary>The token of the dashboard's login link (<c>/login?t=</c>).</summary>
    public string DashboardToken { get; } = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    /// <summary>The password of each service account's PostgreSQL role and RabbitMQ user (the AppHost's parameters).</summary>
    public IReadOnlyDictionary<string, (string Postgres, string RabbitMQ)> ServicePasswords { get; } =
        ServiceAccounts.All.ToDictionary(account => account, _ => (Password(), Password()));

    /// <summary>Where the dashboard answers (DCP gives it a random port, as every endpoint under test).</summary>
    public Uri DashboardUrl => App.GetEndpoint("aspire-dashboard", "http");

    public async Task InitializeAsync()
    {
        using var timeout = new CancellationTokenSource(StartTimeout);
        string[] args =
        [
            "--environment=Development",
            $"--ASPNETCORE_URLS=http://127.0.0.1:{FreePort()}",
            $"--ASPIRE_DASHBOARD_OTLP_ENDPOINT_URL=http://127.0.0.1:{FreePort()}",
            $"--ASPIRE_RESOURCE_SERVICE_ENDPOINT_URL=http://127.0.0.1:{FreePort()}",
            "--ASPIRE_ALLOW_UNSECURED_TRANSPORT=true",
            $"--ASPIRE_DASHBOARD_FRONTEND_BROWSERTOKEN={DashboardToken}",
            $"--LocalServers:DataDirectory={_dataDirectory}",
            // Enough people to search among; 100 000 per store would only make the start slower.
            "--SampleStores:People=2000",
            $"--Parameters:privacy-encryption-key={Key()}",
            $"--Parameters:privacy-blind-index-key={Key()}",
            $"--Parameters:identity-link-signing-key={Key()}",
            $"--Parameters:audit-chain-key={Key()}",
            $"--Parameters:audit-anchor-signing-key={AnchorSigningKey()}",
            $"--Parameters:postgres-password={Password()}",
            $"--Parameters:messaging-password={Password()}",
            $"--Parameters:mailbox-password={Password()}",
            .. ServicePasswords.SelectMany(p => new[]
            {
                $"--Parameters:postgres-{p.Key}-password={p.Value.Postgres}",
                $"--Parameters:messaging-{p.Key}-password={p.Value.RabbitMQ}",
            }),
        ];
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.Closely_AppHost>(
            args, (options, _) => options.DisableDashboard = false, timeout.Token);
        _app = await builder.BuildAsync(timeout.Token);
        await _app.StartAsync(timeout.Token);
        foreach (var resource in Servers.Concat(Services))
        {
            await _app.ResourceNotifications.WaitForResourceHealthyAsync(resource, timeout.Token);
        }
    }

    public async Task DisposeAsync()
    {
        if (_app is not null)
        {
            using var timeout = new CancellationTokenSource(StopTimeout);
            await _app.StopAsync(timeout.Token);
            await _app.DisposeAsync();
        }

        var leftovers = await ServerProcessesAfterAsync(TimeSpan.FromSeconds(60));
        if (Directory.Exists(_dataDirectory))
        {
            Directory.Delete(_dataDirectory, recursive: true);
        }

        if (leftovers.Count > 0)
        {
            throw new InvalidOperationException("server processes left running after the AppHost stopped:\n" + string.Join('\n', leftovers));
        }
    }

    // The servers' command lines name their data folder (postgres -D, rabbitmq's mnesia, dovecot -c, maildev).
    private async Task<List<string>> ServerProcessesAfterAsync(TimeSpan wait)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            var processes = Directory.EnumerateDirectories("/proc")
                .Select(dir => (Pid: Path.GetFileName(dir), CommandLine: ReadCommandLine(dir)))
                .Where(p => p.Pid.All(char.IsAsciiDigit) && p.CommandLine.Contains(_dataDirectory, StringComparison.Ordinal))
                .Select(p => $"{p.Pid} {p.CommandLine}")
                .ToList();
            if (processes.Count == 0 || clock.Elapsed > wait)
            {
                return processes;
            }

            await Task.Delay(TimeSpan.FromSeconds(1));
        }
    }

    private static string ReadCommandLine(string processDirectory)
    {
        try
        {
            return File.ReadAllText(Path.Combine(processDirectory, "cmdline")).Replace('\0', ' ');
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return string.Empty; // the process ended meanwhile
        }
    }

    private static string Key() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    private static string AnchorSigningKey()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        return Convert.ToBase64String(key.ExportPkcs8PrivateKey());
    }

    private static string Password() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

[CollectionDefinition(Name)]
public sealed class PlatformCollection : ICollectionFixture<PlatformApp>
{
    public const string Name = "AppHost";
}
