using System.Diagnostics;
using System.Globalization;
using System.Reflection;

namespace Closely.ServiceProcesses;

/// <summary>
/// One service of the platform as an operating-system process: <c>dotnet services/X/bin/&lt;configuration&gt;/net10.0/Closely.X.dll</c>,
/// the build output of Closely.Platform.sln, configured only through its environment (as the AppHost configures it)
/// on a loopback port of its own. <see cref="KillAsync"/> is SIGKILL: no shutdown, no flush, no acknowledgement.
/// Its output goes to <c>&lt;name&gt;.log</c> in the given log folder (<c>&lt;name&gt;-&lt;instance&gt;.log</c> for a further
/// instance of the same service), for a person reading a failure, never for an assertion.
/// </summary>
public sealed class ServiceProcess : IAsyncDisposable
{
    private readonly string _dll;
    private readonly string _log;
    private readonly IReadOnlyDictionary<string, string?> _environment;
    private Process? _process;

    /// <param name="baseUrlKey">The setting that tells the service its own URL, for the links it mails (e.g. Intake:PublicBaseUrl).</param>
    /// <param name="instance">Which instance of the service this is, from 1: further instances consume the same queues (competing consumers).</param>
    public ServiceProcess(
        string repositoryRoot, string name, string logFolder, IReadOnlyDictionary<string, string?> settings, string? baseUrlKey = null, int instance = 1)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentOutOfRangeException.ThrowIfLessThan(instance, 1);
        Name = name;
        InstanceName = instance == 1 ? name : $"{name}#{instance.ToString(CultureInfo.InvariantCulture)}";
        var configuration = typeof(ServiceProcess).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration ?? "Release";
        _dll = Path.Combine(repositoryRoot, "services", name, "bin", configuration, "net10.0", $"Closely.{name}.dll");
        if (!File.Exists(_dll))
        {
            throw new FileNotFoundException($"{_dll} is missing: build Closely.Platform.sln ({configuration}) first, as ./test.sh and ./bench.sh do.", _dll);
        }

        _log = Path.Combine(logFolder, (instance == 1 ? name : $"{name}-{instance.ToString(CultureInfo.InvariantCulture)}") + ".log");
        BaseUrl = new Uri($"http://127.0.0.1:{LoopbackPorts.Free()}/");

        // Configuration keys as environment variables (':' is '__'), as the AppHost passes them.
        var environment = settings.ToDictionary(s => s.Key.Replace(":", "__", StringComparison.Ordinal), s => s.Value);
        if (baseUrlKey is not null)
        {
            environment[baseUrlKey.Replace(":", "__", StringComparison.Ordinal)] = BaseUrl.ToString();
        }

        environment["ASPNETCORE_URLS"] = BaseUrl.ToString().TrimEnd('/');
        environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        _environment = environment;
    }

    /// <summary>The service, e.g. <c>Cases</c>.</summary>
    public string Name { get; }

    /// <summary>The service and, from the second instance on, its number: <c>Cases</c>, <c>Cases#2</c>.</summary>
    public string InstanceName { get; }

    /// <summary>The operating-system process id of the running process (the broker shows it as its connection's <c>process_id</c>).</summary>
    public int ProcessId => (_process ?? throw new InvalidOperationException($"{InstanceName} was never started")).Id;

    public Uri BaseUrl { get; }

    /// <summary>How often this service was killed.</summary>
    public int Kills { get; private set; }

    /// <summary>Starts the process (again, after a kill); <see cref="WaitUntilHealthyAsync"/> waits for it to serve.</summary>
    public void Start()
    {
        if (_process is { HasExited: false })
        {
            throw new InvalidOperationException($"{InstanceName} is running already");
        }

        _process?.Dispose();
        File.AppendAllText(_log, $"===== started {DateTimeOffset.UtcNow:O}\n");
        _process = Process.Start(StartInfo())!;
    }

    /// <summary>
    /// The CPU time (user and system) the running process has used so far: <c>utime</c> and <c>stime</c> of
    /// <c>/proc/&lt;pid&gt;/stat</c>, which .NET reads for <see cref="Process.TotalProcessorTime"/> on Linux.
    /// </summary>
    public TimeSpan CpuTime
    {
        get
        {
            var process = _process ?? throw new InvalidOperationException($"{InstanceName} was never started");
            process.Refresh();
            return process.TotalProcessorTime;
        }
    }

    /// <summary>
    /// Runs the service once with the argument <c>migrate</c> (its EF Core migrations, then exit), as the AppHost's
    /// migration step does, with the same settings; throws when it fails.
    /// </summary>
    public async Task MigrateAsync()
    {
        File.AppendAllText(_log, $"===== migrate {DateTimeOffset.UtcNow:O}\n");
        using var migrate = Process.Start(StartInfo("migrate"))!;
        await migrate.WaitForExitAsync();
        if (migrate.ExitCode != 0)
        {
            throw new InvalidOperationException($"{Name} migrate exited with {migrate.ExitCode.ToString(CultureInfo.InvariantCulture)}; see {_log}");
        }
    }

    /// <summary>SIGKILL, and waits until the process is gone.</summary>
    public async Task KillAsync()
    {
        var process = _process ?? throw new InvalidOperationException($"{InstanceName} was never started");
        process.Kill(entireProcessTree: true);
        await process.WaitForExitAsync();
        Kills++;
        File.AppendAllText(_log, $"===== killed (SIGKILL) {DateTimeOffset.UtcNow:O}\n");
    }

    /// <summary>Waits until <c>/health</c> says Healthy: the database answers and every bus endpoint is ready.</summary>
    public async Task WaitUntilHealthyAsync(TimeSpan timeout)
    {
        using var http = new HttpClient { BaseAddress = BaseUrl, Timeout = TimeSpan.FromSeconds(5) };
        var until = DateTime.UtcNow + timeout;
        while (true)
        {
            if (_process is null || _process.HasExited)
            {
                throw new InvalidOperationException($"{InstanceName} exited ({_process?.ExitCode.ToString(CultureInfo.InvariantCulture)}); see {_log}");
            }

            try
            {
                using var response = await http.GetAsync(new Uri("health", UriKind.Relative));
                if (response.IsSuccessStatusCode && await response.Content.ReadAsStringAsync() == "Healthy")
                {
                    return;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                // Not listening yet.
            }

            if (DateTime.UtcNow > until)
            {
                throw new TimeoutException($"{InstanceName} was not healthy after {timeout}; see {_log}");
            }

            await Task.Delay(200);
        }
    }

    public HttpClient CreateClient() => new(new HttpClientHandler { UseCookies = true }) { BaseAddress = BaseUrl };

    private ProcessStartInfo StartInfo(params string[] arguments)
    {
        var start = new ProcessStartInfo("bash")
        {
            // exec: the pid is the service's own, so that a kill reaches the service and not a shell around it.
            ArgumentList = { "-c", "exec dotnet \"$0\" \"${@:2}\" >>\"$1\" 2>&1", _dll, _log },
            WorkingDirectory = Path.GetDirectoryName(_dll)!,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in _environment)
        {
            start.Environment[key] = value;
        }

        return start;
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        _process?.Dispose();
    }
}
