using System.Globalization;
using Closely.IntegrationTests.Infrastructure;
using Closely.IntegrationTests.Stores;
using Closely.ServiceProcesses;
using Npgsql;

namespace Closely.FaultTests;

/// <summary>
/// The platform the fault test breaks: a fresh platform database and the three sample stores on the shared PostgreSQL,
/// maildev, a RabbitMQ node of its own, and the six services as processes on them. Disposing stops every process it
/// started, whatever state the test left them in.
/// </summary>
public sealed class FaultPlatform : IAsyncDisposable
{
    /// <summary>How long a step may wait before Cases sends its command again; short, so that a lost message costs seconds.</summary>
    public static readonly TimeSpan StepTimeout = TimeSpan.FromSeconds(20);

    /// <summary>
    /// How long after the last fault every case must be closed: one step timeout (the longest a lost message waits
    /// before its step is re-sent, issue 10) and time for the remaining work itself on a busy machine.
    /// </summary>
    public static readonly TimeSpan RecoveryBound = StepTimeout + TimeSpan.FromSeconds(40);

    private readonly PlatformServers _servers;

    private string? _anchorDirectory;
    private PlatformProcesses? _processes;

    private FaultPlatform(PlatformServers servers, string database, TestStores stores, PrivateRabbitMq broker, string logFolder)
    {
        _servers = servers;
        Database = database;
        Stores = stores;
        Broker = broker;
        LogFolder = logFolder;
    }

    public string Database { get; }

    public TestStores Stores { get; }

    public PrivateRabbitMq Broker { get; }

    /// <summary>Where the services' output goes (kept when the test fails).</summary>
    public string LogFolder { get; }

    public ServiceProcess Intake => _processes!.Intake;

    public ServiceProcess Identity => _processes!.Identity;

    public ServiceProcess Cases => _processes!.Cases;

    public ServiceProcess DataLocator => _processes!.DataLocator;

    public ServiceProcess ErasureExecutor => _processes!.ErasureExecutor;

    public ServiceProcess Notification => _processes!.Notification;

    public IReadOnlyList<ServiceProcess> Services => _processes!.Services;

    public static async Task<FaultPlatform> StartAsync(int people)
    {
        var servers = new PlatformServers();
        await servers.InitializeAsync();
        var database = await PlatformDatabase.CreateAsync(servers, "fault");
        var stores = await TestStores.CreateAsync(servers, people);
        var logFolder = Path.Combine(TestSettings.TemporaryRoot, "fault-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(logFolder);
        var platform = new FaultPlatform(servers, database, stores, await PrivateRabbitMq.StartAsync(PlatformProcesses.RepositoryRoot()), logFolder);
        try
        {
            platform.CreateServices();
            await platform._processes!.StartAsync(TimeSpan.FromSeconds(120));
            return platform;
        }
        catch
        {
            await platform.DisposeAsync();
            throw;
        }
    }

    /// <summary>Runs a query on the platform database and returns its rows.</summary>
    public async Task<List<T>> QueryAsync<T>(string sql, Func<NpgsqlDataReader, T> read, params (string Name, object Value)[] parameters)
    {
        ArgumentNullException.ThrowIfNull(read);
        await using var connection = new NpgsqlConnection(Database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        foreach (var (name, value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<T>();
        while (await reader.ReadAsync())
        {
            rows.Add(read(reader));
        }

        return rows;
    }

    public async ValueTask DisposeAsync()
    {
        if (_processes is not null)
        {
            await _processes.DisposeAsync();
        }

        await Broker.DisposeAsync();
        await _servers.DisposeAsync();
        if (_anchorDirectory is not null && Directory.Exists(_anchorDirectory))
        {
            Directory.Delete(_anchorDirectory, recursive: true);
        }

        NpgsqlConnection.ClearAllPools();
    }

    private void CreateServices()
    {
        var settings = TestSettings.For(_servers, Database, Broker.Amqp);
        _anchorDirectory = settings["Audit:AnchorDirectory"];
        foreach (var (key, value) in Stores.Settings)
        {
            settings[key] = value;
        }

        var step = StepTimeout.ToString("c", CultureInfo.InvariantCulture);
        settings["Cases:StepTimeout"] = step;
        // The store actions' own step timeout, where Cases has one (issue 10); an unknown key is ignored.
        settings["Cases:StoreActionStepTimeout"] = step;
        settings["Cases:SweepInterval"] = "00:00:01";
        settings["Cases:FailedStoreRetryInterval"] = "00:00:05";
        settings["Erasure:Resilience:RetryDelay"] = "00:00:00.100";
        settings["Erasure:Resilience:CircuitBreakDuration"] = "00:00:01";
        // Each service on the broker as its own user (ADR 40); the platform database and the stores stay the shared
        // server's, whose fixtures connect as the administrator.
        _processes = PlatformProcesses.Create(LogFolder, settings, account => new Dictionary<string, string?>
        {
            ["ConnectionStrings:messaging"] = Broker.ServiceAmqp(account).ToString(),
        });
    }
}
