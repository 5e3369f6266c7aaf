using System.Security.Cryptography;
using Closely.ServiceProcesses;
using Closely.Stores.Registry;
using Closely.Stores.Samples;
using Npgsql;

namespace Closely.Benchmark;

/// <summary>
/// The platform one run measures, on the shared servers but in databases and a virtual host of the run's own: a platform
/// database migrated by the services' own <c>migrate</c> step, the three sample stores seeded with the run's number of
/// people, and the six services as processes, configured as the AppHost configures them. Disposing stops the services
/// and drops what the run created.
/// </summary>
public sealed class BenchmarkPlatform : IAsyncDisposable
{
    private readonly List<string> _databases = [];
    private readonly List<string> _virtualHosts = [];
    private readonly List<string> _folders = [];

    private BenchmarkPlatform(BenchmarkServers servers, string name)
    {
        Servers = servers;
        Name = name;
        Broker = new Broker(servers.RabbitMq, servers.RabbitMqManagement);
        LogFolder = Path.Combine(Path.GetTempPath(), name);
        Directory.CreateDirectory(LogFolder);
    }

    public BenchmarkServers Servers { get; }

    /// <summary>The run's name: the prefix of its databases and its virtual host.</summary>
    public string Name { get; }

    public Broker Broker { get; }

    /// <summary>Where the services' output goes.</summary>
    public string LogFolder { get; }

    public string Database { get; private set; } = "";

    /// <summary>The services' virtual host.</summary>
    public string VirtualHost => Name;

    /// <summary>The CRM store's connection string (every sample store holds the same people).</summary>
    public string CrmStore { get; private set; } = "";

    public PlatformProcesses Services { get; private set; } = null!;

    /// <param name="instances">Processes per service (<see cref="BenchmarkOptions.Instances"/>).</param>
    public static async Task<BenchmarkPlatform> StartAsync(
        BenchmarkServers servers, int people, IReadOnlyDictionary<string, int> instances, TextWriter log, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(servers);
        ArgumentNullException.ThrowIfNull(log);
        var platform = new BenchmarkPlatform(servers, "closely_bench_" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4)));
        try
        {
            await platform.SetUpAsync(people, instances, log, cancellationToken);
            return platform;
        }
        catch
        {
            await platform.DisposeAsync();
            throw;
        }
    }

    /// <summary>Creates a virtual host of the run's own beside the services' one (the raw MassTransit baseline's).</summary>
    public async Task<Uri> CreateVirtualHostAsync(string suffix, CancellationToken cancellationToken)
    {
        var name = Name + "_" + suffix;
        _virtualHosts.Add(name);
        return await Broker.CreateVirtualHostAsync(name, cancellationToken);
    }

    /// <summary><paramref name="count"/> seeded people to erase (<see cref="SampleSubjects"/>).</summary>
    public Task<IReadOnlyList<string>> SubjectEmailsAsync(int count, int people, CancellationToken cancellationToken) =>
        SampleSubjects.EmailsAsync(CrmStore, count, people, cancellationToken);

    public async ValueTask DisposeAsync()
    {
        if (Services is not null)
        {
            await Services.DisposeAsync();
        }

        NpgsqlConnection.ClearAllPools();
        foreach (var database in _databases)
        {
            await Servers.DropDatabaseAsync(database);
        }

        foreach (var virtualHost in _virtualHosts)
        {
            await Broker.DeleteVirtualHostAsync(virtualHost);
        }

        foreach (var folder in _folders.Where(Directory.Exists))
        {
            Directory.Delete(folder, recursive: true);
        }

        Broker.Dispose();
    }

    private async Task SetUpAsync(int people, IReadOnlyDictionary<string, int> instances, TextWriter log, CancellationToken cancellationToken)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        Database = await CreateDatabaseAsync("platform", cancellationToken);
        var stores = await Task.WhenAll(SampleStores.All.Select(async store =>
        {
            var database = await CreateDatabaseAsync(store.StoreId.Replace('-', '_'), cancellationToken);
            await SampleStoreSeeder.SeedAsync(database, store, people, SampleStoreSeeder.DefaultSeed, cancellationToken);
            return (Setting: $"ConnectionStrings:{store.Database}", Database: database);
        }));
        CrmStore = stores[0].Database;
        await log.WriteLineAsync($"seeded {SampleStores.All.Count} sample stores of {people} people in {clock.Elapsed.TotalSeconds:F0} s");

        _virtualHosts.Add(VirtualHost);
        var messaging = await Broker.CreateVirtualHostAsync(VirtualHost, cancellationToken);
        var settings = Settings(messaging);
        foreach (var (setting, database) in stores)
        {
            settings[setting] = database;
        }

        Services = PlatformProcesses.Create(LogFolder, settings, instances: instances);
        clock.Restart();
        await Services.MigrateAndStartAsync(TimeSpan.FromMinutes(3));
        var processes = string.Join(", ", Services.Services.Select(s => $"{s.Name} {Services.InstancesOf(s).Count}"));
        await log.WriteLineAsync($"six services migrated, started and healthy in {clock.Elapsed.TotalSeconds:F0} s, processes: {processes} (their output: {LogFolder})");
    }

    private async Task<string> CreateDatabaseAsync(string suffix, CancellationToken cancellationToken)
    {
        var name = Name + "_" + suffix;
        _databases.Add(name);
        return await Servers.CreateDatabaseAsync(name, cancellationToken);
    }

    /// <summary>What the AppHost passes every service, with keys of the run's own.</summary>
    private Dictionary<string, string?> Settings(Uri messaging)
    {
        var anchors = Path.Combine(LogFolder, "anchors");
        var packages = Path.Combine(LogFolder, "packages");
        _folders.Add(anchors);
        _folders.Add(packages);
        return new Dictionary<string, string?>(PlatformKeys.NewSettings())
        {
            ["ConnectionStrings:closely"] = Database,
            ["ConnectionStrings:messaging"] = messaging.ToString(),
            ["Smtp:Host"] = Servers.SmtpHost,
            ["Smtp:Port"] = Servers.SmtpPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Imap:Host"] = "",
            ["Audit:AnchorDirectory"] = anchors,
            ["Packages:Directory"] = packages,
        };
    }
}
