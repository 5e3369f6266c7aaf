namespace Closely.ServiceProcesses;

/// <summary>
/// The six services of the platform, each a <see cref="ServiceProcess"/> with the same settings (as the AppHost passes
/// them), their output in one log folder. One address sends every request and opens every link, so the per-address
/// rate limits of Intake and Identity are lifted. A service may run as several instances (<see cref="Create"/>): the
/// further ones consume the same queues, competing consumers as on more machines. Disposing stops every process,
/// whatever state it is in.
/// </summary>
public sealed class PlatformProcesses : IAsyncDisposable
{
    private readonly Dictionary<ServiceProcess, List<ServiceProcess>> _instances = [];

    private PlatformProcesses(
        string root,
        string logFolder,
        Dictionary<string, string?> settings,
        Func<string, IReadOnlyDictionary<string, string?>>? accountSettings,
        IReadOnlyDictionary<string, int> instances)
    {
        settings["Intake:RateLimit:PermitsPerMinute"] = "100000";
        settings["Identity:RateLimitPermits"] = "100000";
        Intake = Service(nameof(Intake), "intake", "Intake:PublicBaseUrl");
        Identity = Service(nameof(Identity), "identity", "Identity:PublicBaseUrl");
        Cases = Service(nameof(Cases), "cases");
        DataLocator = Service(nameof(DataLocator), "locator");
        ErasureExecutor = Service(nameof(ErasureExecutor), "executor");
        Notification = Service(nameof(Notification), "notification");

        ServiceProcess Service(string name, string account, string? baseUrlKey = null)
        {
            List<ServiceProcess> all = [.. Enumerable.Range(1, Math.Max(instances.GetValueOrDefault(name, 1), 1))
                .Select(instance => new ServiceProcess(root, name, logFolder, For(account), baseUrlKey, instance))];
            _instances[all[0]] = all;
            return all[0];
        }

        Dictionary<string, string?> For(string account)
        {
            var merged = new Dictionary<string, string?>(settings);
            foreach (var (key, value) in accountSettings?.Invoke(account) ?? new Dictionary<string, string?>())
            {
                merged[key] = value;
            }

            return merged;
        }
    }

    /// <summary>
    /// The services' own accounts (ADR 40, scripts/lib/service-accounts.sh): each service is
    /// <c>closely_&lt;account&gt;</c> on the servers the scripts set up.
    /// </summary>
    public static IReadOnlyList<string> Accounts { get; } = ["intake", "identity", "cases", "notification", "locator", "executor"];

    /// <summary>The services' names, as <c>--instances</c> and the process list name them.</summary>
    public static IReadOnlyList<string> ServiceNames { get; } = ["Intake", "Identity", "Cases", "DataLocator", "ErasureExecutor", "Notification"];

    public ServiceProcess Intake { get; }

    public ServiceProcess Identity { get; }

    public ServiceProcess Cases { get; }

    public ServiceProcess DataLocator { get; }

    public ServiceProcess ErasureExecutor { get; }

    public ServiceProcess Notification { get; }

    /// <summary>The first instance of each service.</summary>
    public IReadOnlyList<ServiceProcess> Services => [Intake, Identity, Cases, DataLocator, ErasureExecutor, Notification];

    /// <summary>Every process: each service's instances, in the order of <see cref="Services"/>.</summary>
    public IReadOnlyList<ServiceProcess> AllInstances => [.. Services.SelectMany(InstancesOf)];

    /// <summary>The instances of the service whose first instance is <paramref name="service"/> (itself first).</summary>
    public IReadOnlyList<ServiceProcess> InstancesOf(ServiceProcess service) => _instances[service];

    /// <summary>The services that keep state in the platform database: what <see cref="MigrateAndStartAsync"/> migrates.</summary>
    public IReadOnlyList<ServiceProcess> ServicesWithState => [Intake, Identity, Cases, Notification];

    /// <summary>
    /// The processes, not started yet; <paramref name="settings"/> are configuration keys (<c>Section:Key</c>), and
    /// <paramref name="accountSettings"/> gives the settings of one service account (<see cref="Accounts"/>) that
    /// replace them for that service, e.g. its own <c>ConnectionStrings:messaging</c>; <paramref name="instances"/> says how
    /// many processes run a service (<see cref="ServiceNames"/>; one when not named).
    /// </summary>
    public static PlatformProcesses Create(
        string logFolder,
        IReadOnlyDictionary<string, string?> settings,
        Func<string, IReadOnlyDictionary<string, string?>>? accountSettings = null,
        IReadOnlyDictionary<string, int>? instances = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        if (instances?.Keys.Except(ServiceNames).FirstOrDefault() is { } unknown)
        {
            throw new ArgumentException($"no service is named {unknown}", nameof(instances));
        }

        return new PlatformProcesses(RepositoryRoot(), logFolder, new Dictionary<string, string?>(settings), accountSettings, instances ?? new Dictionary<string, int>());
    }

    /// <summary>Starts every process and waits until every one is healthy.</summary>
    public async Task StartAsync(TimeSpan healthTimeout)
    {
        foreach (var service in AllInstances)
        {
            service.Start();
        }

        await Task.WhenAll(AllInstances.Select(s => s.WaitUntilHealthyAsync(healthTimeout)));
    }

    /// <summary>
    /// On an empty platform database: applies the migrations of every service with state (each in its own schema, so side
    /// by side) with the services' own <c>migrate</c> step, as the AppHost does, and starts each of them once its
    /// migrations are in; the services without state start at once. Waits until every instance is healthy.
    /// </summary>
    public async Task MigrateAndStartAsync(TimeSpan healthTimeout)
    {
        await Task.WhenAll(Services.Select(async service =>
        {
            if (ServicesWithState.Contains(service))
            {
                await service.MigrateAsync();
            }

            foreach (var instance in InstancesOf(service))
            {
                instance.Start();
            }

            await Task.WhenAll(InstancesOf(service).Select(instance => instance.WaitUntilHealthyAsync(healthTimeout)));
        }));
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var service in AllInstances)
        {
            await service.DisposeAsync();
        }
    }

    /// <summary>The folder of Closely.Platform.sln above this assembly: the services' build output is found from there.</summary>
    public static string RepositoryRoot()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
        {
            if (File.Exists(Path.Combine(folder.FullName, "Closely.Platform.sln")))
            {
                return folder.FullName;
            }
        }

        throw new InvalidOperationException($"no Closely.Platform.sln above {AppContext.BaseDirectory}");
    }
}
