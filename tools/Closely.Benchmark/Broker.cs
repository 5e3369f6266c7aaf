using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Closely.Benchmark;

/// <summary>
/// RabbitMQ's management API for one run: virtual hosts of the run's own, and their message counters (every message
/// published into the virtual host's exchanges, every delivery to a consumer), which the broker counts itself.
/// </summary>
public sealed class Broker(Uri amqp, Uri management) : IDisposable
{
    /// <summary>The management API refreshes its statistics every 5 s; a counter is read until it held still past that.</summary>
    private static readonly TimeSpan StatisticsInterval = TimeSpan.FromSeconds(5.5);

    private readonly HttpClient _http = Client(amqp, management);

    public async Task<Uri> CreateVirtualHostAsync(string name, CancellationToken cancellationToken)
    {
        var user = Uri.UnescapeDataString(amqp.UserInfo.Split(':')[0]);
        (await _http.PutAsync(new Uri($"api/vhosts/{name}", UriKind.Relative), null, cancellationToken)).EnsureSuccessStatusCode();
        (await _http.PutAsJsonAsync(new Uri($"api/permissions/{name}/{user}", UriKind.Relative), new { configure = ".*", write = ".*", read = ".*" }, cancellationToken))
            .EnsureSuccessStatusCode();
        return new UriBuilder(amqp) { Path = "/" + name }.Uri;
    }

    public async Task DeleteVirtualHostAsync(string name) =>
        await _http.DeleteAsync(new Uri($"api/vhosts/{name}", UriKind.Relative));

    /// <summary>
    /// The virtual host's counters once they have held still for one statistics interval: what the broker counted up to
    /// now, not a sample from up to 5 s ago. Call it when the platform is idle (between phases).
    /// </summary>
    public async Task<MessageCounts> SettledCountsAsync(string virtualHost, CancellationToken cancellationToken)
    {
        var last = await CountsAsync(virtualHost, cancellationToken);
        while (true)
        {
            await Task.Delay(StatisticsInterval, cancellationToken);
            var next = await CountsAsync(virtualHost, cancellationToken);
            if (next == last)
            {
                return next;
            }

            last = next;
        }
    }

    /// <summary>
    /// Deliveries so far to each process consuming in the virtual host, by its process id (MassTransit puts it in its
    /// connection's client properties), summed over the process's channels: how instances of a service shared the work.
    /// As fresh as <see cref="SettledCountsAsync"/> when read right after it.
    /// </summary>
    public async Task<IReadOnlyDictionary<int, long>> DeliveriesByProcessAsync(string virtualHost, CancellationToken cancellationToken)
    {
        var vhost = Uri.EscapeDataString(virtualHost);
        var connections = await _http.GetFromJsonAsync<JsonElement>(new Uri($"api/vhosts/{vhost}/connections", UriKind.Relative), cancellationToken);
        var processes = new Dictionary<string, int>();
        foreach (var connection in connections.EnumerateArray())
        {
            if (connection.GetProperty("client_properties").TryGetProperty("process_id", out var id)
                && int.TryParse(id.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out var processId))
            {
                processes[connection.GetProperty("name").GetString()!] = processId;
            }
        }

        var channels = await _http.GetFromJsonAsync<JsonElement>(new Uri($"api/vhosts/{vhost}/channels", UriKind.Relative), cancellationToken);
        return channels.EnumerateArray()
            .Where(c => processes.ContainsKey(c.GetProperty("connection_details").GetProperty("name").GetString()!))
            .GroupBy(c => processes[c.GetProperty("connection_details").GetProperty("name").GetString()!])
            .ToDictionary(g => g.Key, g => g.Sum(c => c.TryGetProperty("message_stats", out var stats) ? Counter(stats, "deliver_get") : 0));
    }

    public void Dispose() => _http.Dispose();

    private async Task<MessageCounts> CountsAsync(string virtualHost, CancellationToken cancellationToken)
    {
        var vhost = await _http.GetFromJsonAsync<JsonElement>(new Uri($"api/vhosts/{Uri.EscapeDataString(virtualHost)}", UriKind.Relative), cancellationToken);
        if (!vhost.TryGetProperty("message_stats", out var stats))
        {
            return new MessageCounts(0, 0);
        }

        return new MessageCounts(Counter(stats, "publish"), Counter(stats, "deliver_get"));
    }

    private static long Counter(JsonElement stats, string name) => stats.TryGetProperty(name, out var value) ? value.GetInt64() : 0;

    private static HttpClient Client(Uri amqp, Uri management)
    {
        var http = new HttpClient { BaseAddress = management, Timeout = TimeSpan.FromSeconds(30) };
        http.DefaultRequestHeaders.Authorization =
            new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(Uri.UnescapeDataString(amqp.UserInfo))));
        return http;
    }
}

/// <summary>Messages published into a virtual host and deliveries to its consumers (acknowledged or not, redeliveries included).</summary>
public sealed record MessageCounts(long Published, long Delivered)
{
    public static MessageCounts operator -(MessageCounts after, MessageCounts before) =>
        new(after.Published - before.Published, after.Delivered - before.Delivered);

    public MessageCounts Subtract(MessageCounts before) => this - before;
}
