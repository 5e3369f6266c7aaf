namespace Closely.ServiceProcesses;

/// <summary>
/// The six services of the platform, each a <see cref="ServiceProcess"/> with the same settings (as the AppHost passes
/// them), their output in one log folder. One address sends every request and opens every link, so the per-address
/// rate limits of Intake and Identity are lifted. Disposing stops every process, whatever state it is in.
/// </summary>
public sealed class PlatformProcesses : IAsyncDisposable
{
    private PlatformProcesses(
        string root, string logFolder, Dictionary<string, string?> settings, Func<string, IReadOnlyDictionary<string, string?>>? accountSettings)
    {
        settings["Intake:RateLimit:PermitsPerMinute"] = "100000";
        settings["Identity:RateLimitPermits"] = "100000";
        Intake = new ServiceProcess(root, nameof(Intake), logFolder, For("intake"), "Intake:PublicBaseUrl");
        Identity = new ServiceProcess(root, nameof(Identity), logFolder, For("identity"), "Identity:PublicBaseUrl");
        Cases = new ServiceProcess(root, nameof(Cases), logFolder, For("cases"));
        DataLocator = new ServiceProcess(root, nameof(DataLocator), logFolder, For("locator"));
        ErasureExecutor = new ServiceProcess(root, nameof(ErasureExecutor), logFolder, For("executor"));
        Notification = new ServiceProcess(root, nameof(Notification), logFolder, For("notification"));

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

    public ServiceProcess Intake { get; }

    public ServiceProcess Identity { get; }

    public ServiceProcess Cases { get; }

    public ServiceProcess DataLocator { get; }

    public ServiceProcess ErasureExecutor { get; }

    public ServiceProcess Notification { get; }

    public IReadOnlyList<ServiceProcess> Services => [Intake, Identity, Cases, DataLocator, ErasureExecutor, Notification];

    /// <summary>The services that keep state in the platform database: what <see cref="MigrateAndStartAsync"/> migrates.</summary>
    public IReadOnlyList<ServiceProcess> ServicesWithState => [Intake, Identity, Cases, Notification];

    /// <summary>
    /// The processes, not started yet; <paramref name="settings"/> are configuration keys (<c>Section:Key</c>), and
    /// <paramref name="accountSettings"/> gives the settings of one service account (<see cref="Accounts"/>) that
    /// replace them for that service, e.g. its own <c>ConnectionStrings:messaging</c>.
    /// </summary>
    public static PlatformProcesses Create(
        string logFolder, IReadOnlyDictionary<string, string?> settings, Func<string, IReadOnlyDictionary<string, string?>>? accountSettings = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return new PlatformProcesses(RepositoryRoot(), logFolder, new Dictionary<string, string?>(settings), accountSettings);
    }

    /// <summary>Starts the six processes and waits until every one is healthy.</summary>
    public async Task StartAsync(TimeSpan healthTimeout)
    {
        foreach (var service in Services)
        {
            service.Start();
        }

        await Task.WhenAll(Services.Select(s => s.WaitUntilHealthyAsync(healthTimeout)));
    }

    /// <summary>
    /// On an empty platform database: applies the migrations of every service with state (each in its own schema, so side
    /// by side) with the services' own <c>migrate</c> step, as the AppHost does, and starts each of them once its
    /// migrations are in; the services without state start at once. Waits until every one is healthy.
    /// </summary>
    public async Task MigrateAndStartAsync(TimeSpan healthTimeout)
    {
        var started = Services.Except(ServicesWithState).Select(async service =>
        {
            service.Start();
            await service.WaitUntilHealthyAsync(healthTimeout);
        });
        var migrated = ServicesWithState.Select(async service =>
        {
            await service.MigrateAsync();
            service.Start();
            await service.WaitUntilHealthyAsync(healthTimeout);
        });
        await Task.WhenAll(started.Concat(migrated));
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var service in Services)
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
