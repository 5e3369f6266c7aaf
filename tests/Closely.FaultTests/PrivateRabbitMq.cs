using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using Closely.ServiceProcesses;

namespace Closely.FaultTests;

/// <summary>
/// A RabbitMQ node of the fault test's own, started with <c>scripts/local-server.sh rabbitmq</c> as the AppHost starts
/// its broker: its own data folder (hence its own node name), free loopback ports and a random password. The test
/// stops and starts its application (<c>rabbitmqctl stop_app</c>/<c>start_app</c>), which the shared broker of the
/// other tests must never see. Disposing stops the script, which stops the node, and removes the folder.
/// </summary>
public sealed class PrivateRabbitMq : IAsyncDisposable
{
    // rabbitmqctl as scripts/lib/rabbitmq.sh runs it: as the rabbitmq user, with the node's own cookie and folders.
    private const string Rabbitmqctl = """
        set -euo pipefail
        source "$ROOT_DIR/scripts/lib/common.sh"
        source "$ROOT_DIR/scripts/lib/rabbitmq.sh"
        rabbitmqctl_ "$@"
        """;

    private readonly Process _server;
    private readonly string _root;

    private readonly IReadOnlyDictionary<string, string> _servicePasswords;

    private PrivateRabbitMq(Process server, string root, string dataFolder, string password, IReadOnlyDictionary<string, string> servicePasswords, int amqpPort, int managementPort)
    {
        _server = server;
        _root = root;
        _servicePasswords = servicePasswords;
        DataFolder = dataFolder;
        Password = password;
        Amqp = new Uri($"amqp://closely:{password}@127.0.0.1:{amqpPort}/");
        Management = new Uri($"http://127.0.0.1:{managementPort}/");
    }

    /// <summary>The node's data folder (CLOSELY_LOCAL_DIR of local-server.sh); its log is <c>server.log</c> in it.</summary>
    public string DataFolder { get; }

    public string Password { get; }

    /// <summary>The administrator's URI.</summary>
    public Uri Amqp { get; }

    public Uri Management { get; }

    /// <summary>The URI of a service account's own user (<see cref="PlatformProcesses.Accounts"/>), which local-server.sh created.</summary>
    public Uri ServiceAmqp(string account) =>
        new UriBuilder(Amqp) { UserName = "closely_" + account, Password = _servicePasswords[account] }.Uri;

    /// <summary>The node's name, as local-server.sh derives it from the data folder.</summary>
    public string NodeName => "closely-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(DataFolder)))[..10] + "@localhost";

    public static async Task<PrivateRabbitMq> StartAsync(string repositoryRoot)
    {
        var dataFolder = Path.Combine(Path.GetTempPath(), "closely-fault-rabbitmq-" + Guid.NewGuid().ToString("N")[..8]);
        Directory.CreateDirectory(dataFolder);
        var password = NewPassword();
        var servicePasswords = PlatformProcesses.Accounts.ToDictionary(account => account, _ => NewPassword());
        var (amqp, management, distribution) = (LoopbackPorts.Free(), LoopbackPorts.Free(), LoopbackPorts.Free());
        var start = new ProcessStartInfo("bash")
        {
            ArgumentList = { "-c", "exec \"$0\" rabbitmq >>\"$CLOSELY_LOCAL_DIR/server.log\" 2>&1", Path.Combine(repositoryRoot, "scripts", "local-server.sh") },
            Environment =
            {
                ["CLOSELY_LOCAL_DIR"] = dataFolder,
                ["RABBIT_AMQP_PORT"] = amqp.ToString(CultureInfo.InvariantCulture),
                ["RABBIT_MGMT_PORT"] = management.ToString(CultureInfo.InvariantCulture),
                ["RABBIT_DIST_PORT"] = distribution.ToString(CultureInfo.InvariantCulture),
                ["CLOSELY_RABBITMQ_PASSWORD"] = password,
            },
        };
        foreach (var (account, servicePassword) in servicePasswords)
        {
            start.Environment[$"CLOSELY_RABBITMQ_PASSWORD_{account.ToUpperInvariant()}"] = servicePassword;
        }

        var broker = new PrivateRabbitMq(Process.Start(start)!, repositoryRoot, dataFolder, password, servicePasswords, amqp, management);
        try
        {
            await broker.WaitUntilReadyAsync(TimeSpan.FromSeconds(120));
            return broker;
        }
        catch
        {
            await broker.DisposeAsync();
            throw;
        }
    }

    /// <summary>Stops the RabbitMQ application (the Erlang node stays up): every connection drops, nothing is accepted.</summary>
    public Task StopAppAsync() => CtlAsync("stop_app");

    /// <summary>Starts the application again and waits until it accepts connections and its management API answers.</summary>
    public async Task StartAppAsync()
    {
        await CtlAsync("start_app");
        await WaitUntilReadyAsync(TimeSpan.FromSeconds(60));
    }

    /// <summary>
    /// The number of messages in every queue of the node's virtual host /, from <c>rabbitmqctl list_queues</c>: exact at
    /// the moment of the call, where the management API's figures are statistics up to five seconds old.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, int>> QueueDepthsAsync()
    {
        var output = await CtlAsync("-q", "list_queues", "--no-table-headers", "-p", "/", "name", "messages");
        return output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(line => line.Split('\t'))
            .ToDictionary(fields => fields[0], fields => int.Parse(fields[1], CultureInfo.InvariantCulture));
    }

    public async ValueTask DisposeAsync()
    {
        if (!_server.HasExited)
        {
            // TERM lets local-server.sh stop the node (its exit hook waits for it); a node that will not stop is killed there.
            using (var term = Process.Start("kill", ["-TERM", _server.Id.ToString(CultureInfo.InvariantCulture)]))
            {
                await term.WaitForExitAsync();
            }

            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
            try
            {
                await _server.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                _server.Kill(entireProcessTree: true);
            }
        }

        _server.Dispose();
        try
        {
            Directory.Delete(DataFolder, recursive: true);
        }
        catch (IOException)
        {
            // A file the node still held: the folder is in the temporary directory and harmless.
        }
    }

    private async Task<string> CtlAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo("bash")
        {
            ArgumentList = { "-c", Rabbitmqctl, "rabbitmqctl" },
            Environment =
            {
                ["ROOT_DIR"] = _root,
                ["LOCAL_DIR"] = DataFolder,
                ["RABBIT_NODE"] = NodeName,
            },
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        using var ctl = Process.Start(start)!;
        var output = ctl.StandardOutput.ReadToEndAsync();
        var errors = ctl.StandardError.ReadToEndAsync();
        await ctl.WaitForExitAsync();
        if (ctl.ExitCode != 0)
        {
            throw new InvalidOperationException($"rabbitmqctl -n {NodeName} {string.Join(' ', arguments)} failed ({ctl.ExitCode}):\n{await output}\n{await errors}");
        }

        return await output;
    }

    private async Task WaitUntilReadyAsync(TimeSpan timeout)
    {
        using var http = ManagementClient();
        var until = DateTime.UtcNow + timeout;
        while (true)
        {
            if (_server.HasExited)
            {
                throw new InvalidOperationException($"local-server.sh rabbitmq exited ({_server.ExitCode}):\n{LogTail()}");
            }

            if (await AcceptsAsync(http))
            {
                return;
            }

            if (DateTime.UtcNow > until)
            {
                throw new TimeoutException($"the private RabbitMQ was not ready after {timeout}:\n{LogTail()}");
            }

            await Task.Delay(250);
        }
    }

    /// <summary>The end of local-server.sh's output (the folder goes with the broker, so a failure carries it).</summary>
    private string LogTail()
    {
        var log = Path.Combine(DataFolder, "server.log");
        return File.Exists(log) ? string.Join('\n', File.ReadLines(log).TakeLast(30)) : "(local-server.sh wrote nothing)";
    }

    private async Task<bool> AcceptsAsync(HttpClient http)
    {
        try
        {
            using var amqp = new TcpClient();
            await amqp.ConnectAsync(IPAddress.Loopback, Amqp.Port);
            using var response = await http.GetAsync(new Uri("api/whoami", UriKind.Relative));
            return response.IsSuccessStatusCode;
        }
        catch (Exception e) when (e is SocketException or HttpRequestException or TaskCanceledException)
        {
            return false;
        }
    }

    private static string NewPassword() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));

    private HttpClient ManagementClient()
    {
        var http = new HttpClient { BaseAddress = Management, Timeout = TimeSpan.FromSeconds(10) };
        http.DefaultRequestHeaders.Authorization =
            new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes("closely:" + Password)));
        return http;
    }
}
