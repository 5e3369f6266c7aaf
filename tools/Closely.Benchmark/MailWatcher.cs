using System.Net.Http.Json;
using System.Text.Json.Serialization;
using Closely.ServiceProcesses;

namespace Closely.Benchmark;

/// <summary>
/// The requesters' mailboxes: maildev's API, read by one loop for every requester waiting, which hands each its
/// verification link (the mail to its address that names its reference, with a link to one of this run's Identity
/// instances: maildev is shared, and an earlier run on the same servers mailed the same seeded people under the same
/// references).
/// </summary>
public sealed class MailWatcher(Uri maildev, IReadOnlyList<Uri> identities) : IDisposable
{
    private readonly HttpClient _http = new() { BaseAddress = maildev, Timeout = TimeSpan.FromSeconds(60) };
    private readonly Lock _lock = new();
    private readonly List<(string Email, string Reference, TaskCompletionSource<Uri> Link)> _waiting = [];

    /// <summary>The verification link mailed to <paramref name="email"/> for the request <paramref name="reference"/>.</summary>
    public Task<Uri> VerificationLinkAsync(string email, string reference)
    {
        var link = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        lock (_lock)
        {
            _waiting.Add((email, reference, link));
        }

        return link.Task;
    }

    /// <summary>Reads maildev every 250 ms while someone waits, until <paramref name="stop"/>.</summary>
    public async Task RunAsync(CancellationToken stop)
    {
        while (!stop.IsCancellationRequested)
        {
            bool any;
            lock (_lock)
            {
                any = _waiting.Count > 0;
            }

            if (any)
            {
                var mails = await _http.GetFromJsonAsync<List<Mail>>(new Uri("/api/email", UriKind.Relative), stop) ?? [];
                lock (_lock)
                {
                    foreach (var waiting in _waiting.ToList())
                    {
                        var link = mails.Where(m => m.To.Any(t => string.Equals(t.Address, waiting.Email, StringComparison.OrdinalIgnoreCase))
                                && m.Text.Contains(waiting.Reference, StringComparison.Ordinal))
                            .Select(m => MailedLinks.Verification().Match(m.Text))
                            .LastOrDefault(l => l.Success && identities.Any(identity => l.Value.StartsWith(identity.ToString(), StringComparison.Ordinal)));
                        if (link is not null)
                        {
                            waiting.Link.SetResult(new Uri(link.Value));
                            _waiting.Remove(waiting);
                        }
                    }
                }
            }

            try
            {
                await Task.Delay(TimeSpan.FromMilliseconds(250), stop);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }
    }

    public void Dispose() => _http.Dispose();

    private sealed record Mail(
        [property: JsonPropertyName("text")] string Text,
        [property: JsonPropertyName("to")] IReadOnlyList<Recipient> To);

    private sealed record Recipient([property: JsonPropertyName("address")] string Address);
}
