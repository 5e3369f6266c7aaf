using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Closely.IntegrationTests.Infrastructure;

/// <summary>
/// A queue of the test's own bound to every exchange of a virtual host, as someone reading the broker would see the
/// traffic: it lists the exchanges through the management API every 200 ms and binds each new one, so the exchanges the
/// services declare as the run goes on are tapped as well. <see cref="DrainAsync"/> takes what has arrived.
/// </summary>
public sealed class BusTap : IAsyncDisposable
{
    private readonly HttpClient _http;
    private readonly string _vhost;
    private readonly string _queue = "test-tap-" + Guid.NewGuid().ToString("N");
    private readonly ConcurrentDictionary<string, bool> _bound = new();
    private readonly ConcurrentQueue<TappedMessage> _messages = new();
    private readonly CancellationTokenSource _stop = new();
    private Task _binding = Task.CompletedTask;

    private BusTap(PlatformServers servers, Uri virtualHost)
    {
        _http = servers.ManagementClient();
        _vhost = Uri.EscapeDataString(virtualHost.AbsolutePath.TrimStart('/'));
    }

    /// <summary>Every message the tap has taken so far (each drain adds to it).</summary>
    public IReadOnlyCollection<TappedMessage> Messages => _messages;

    /// <summary>Creates the tap's queue and keeps binding it to every exchange of <paramref name="virtualHost"/> until disposed.</summary>
    public static async Task<BusTap> StartAsync(PlatformServers servers, Uri virtualHost)
    {
        ArgumentNullException.ThrowIfNull(servers);
        ArgumentNullException.ThrowIfNull(virtualHost);
        var tap = new BusTap(servers, virtualHost);
        (await tap._http.PutAsJsonAsync(Api($"queues/{tap._vhost}/{tap._queue}"), new { durable = false, auto_delete = false })).EnsureSuccessStatusCode();
        await tap.BindNewExchangesAsync();
        tap._binding = tap.KeepBindingAsync();
        return tap;
    }

    /// <summary>Takes the messages waiting in the tap's queue (acknowledged, so each is taken once) and returns all taken so far.</summary>
    public async Task<IReadOnlyCollection<TappedMessage>> DrainAsync()
    {
        await BindNewExchangesAsync();
        using var response = await _http.PostAsJsonAsync(Api($"queues/{_vhost}/{_queue}/get"),
            new Dictionary<string, object> { ["count"] = 10_000, ["ackmode"] = "ack_requeue_false", ["encoding"] = "base64" });
        response.EnsureSuccessStatusCode();
        foreach (var message in (await response.Content.ReadFromJsonAsync<JsonElement>()).EnumerateArray())
        {
            var payload = message.GetProperty("payload").GetString()!;
            var body = message.GetProperty("payload_encoding").GetString() == "base64" ? Convert.FromBase64String(payload) : Encoding.UTF8.GetBytes(payload);
            _messages.Enqueue(new TappedMessage(message.GetProperty("exchange").GetString()!, body));
        }

        return _messages;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await _binding;
        }
        catch (OperationCanceledException)
        {
        }

        await _http.DeleteAsync(Api($"queues/{_vhost}/{_queue}"));
        _http.Dispose();
        _stop.Dispose();
    }

    private async Task KeepBindingAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(200), _stop.Token);
            await BindNewExchangesAsync();
        }
    }

    private async Task BindNewExchangesAsync()
    {
        var exchanges = await _http.GetFromJsonAsync<JsonElement>(Api($"exchanges/{_vhost}?columns=name"), _stop.Token);
        foreach (var name in exchanges.EnumerateArray().Select(e => e.GetProperty("name").GetString()!))
        {
            // The default exchange cannot be bound; the amq.* ones carry nothing of the platform's.
            if (name.Length == 0 || name.StartsWith("amq.", StringComparison.Ordinal) || !_bound.TryAdd(name, true))
            {
                continue;
            }

            using var bound = await _http.PostAsJsonAsync(Api($"bindings/{_vhost}/e/{Uri.EscapeDataString(name)}/q/{_queue}"), new { routing_key = "#" }, _stop.Token);
            bound.EnsureSuccessStatusCode();
        }
    }

    private static Uri Api(string path) => new("api/" + path, UriKind.Relative);
}

/// <summary>One message as the broker carried it: the exchange it was published to and its body.</summary>
public sealed record TappedMessage(string Exchange, byte[] Body)
{
    public string Text => Encoding.UTF8.GetString(Body);

    /// <summary>Whether the envelope's message has <paramref name="property"/> with a value (not null).</summary>
    public bool Carries(string property)
    {
        try
        {
            using var json = JsonDocument.Parse(Body);
            return json.RootElement.TryGetProperty("message", out var message)
                && message.TryGetProperty(property, out var value) && value.ValueKind != JsonValueKind.Null;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    /// <summary>The message's type as MassTransit's envelope names it, e.g. <c>DsrReceived</c>; empty when the body is no envelope.</summary>
    public string Type
    {
        get
        {
            try
            {
                using var json = JsonDocument.Parse(Body);
                return json.RootElement.TryGetProperty("messageType", out var types) && types.GetArrayLength() > 0
                    ? types[0].GetString()!.Split(':')[^1]
                    : "";
            }
            catch (JsonException)
            {
                return "";
            }
        }
    }
}
