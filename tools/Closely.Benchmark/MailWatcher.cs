using System.Net.Http.Json;
using System.Text.Json.Serialization;
using Closely.ServiceProcesses;

namespace Closely.Benchmark;

/// <summary>
/// The requesters' mailboxes: maildev's API, read by one loop for every requester waiting, which hands each its
/// verification link (the mail to its address that names its reference, with a link to one of this run's Identity
/// instances: maildev is shared, and an earlier run on the same servers mailed the same seeded people under the same
/// references). Mail to the phase's subjects is deleted once read (a verification link once handed over), so that the
/// list read four times a second stays short in a run of thousands of requests instead of growing with every mail.
/// </summary>
public sealed class MailWatcher(Uri maildev, IReadOnlyList<Uri> identities, IEnumerable<string> subjects) : IDisposable
{
    private readonly HttpClient _http = new() { BaseAddress = maildev, Timeout = TimeSpan.FromSeconds(60) };
    private readonly HashSet<string> _subjects = new(subjects, StringComparer.OrdinalIgnoreCase);
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

            try
            {
                if (any)
                {
                    var mails = await _http.GetFromJsonAsync<List<Mail>>(new Uri("/api/email", UriKind.Relative), stop) ?? [];
                    foreach (var read in Hand(mails.Where(m => m.To.Any(t => _subjects.Contains(t.Address))).ToList()))
                    {
                        (await _http.DeleteAsync(new Uri($"/api/email/{Uri.EscapeDataString(read.Id)}", UriKind.Relative), stop)).Dispose();
                    }
                }

                await Task.Delay(TimeSpan.FromMilliseconds(250), stop);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                // Stopped while reading: a requester that gave up waiting (its deadline passed) may still be listed.
                break;
            }
        }
    }

    /// <summary>
    /// Hands each waiting requester its link; returns the mails done with: the links handed over and every mail that
    /// carries no link to this run's Identity (acknowledgements, notices). A link nobody waits for yet is kept.
    /// </summary>
    private List<Mail> Hand(List<Mail> mails)
    {
        var done = new List<Mail>();
        lock (_lock)
        {
            foreach (var mail in mails)
            {
                var link = MailedLinks.Verification().Match(mail.Text);
                if (!link.Success || !identities.Any(identity => link.Value.StartsWith(identity.ToString(), StringComparison.Ordinal)))
                {
                    done.Add(mail);
                    continue;
                }

                var waiting = _waiting.FirstOrDefault(w => mail.To.Any(t => string.Equals(t.Address, w.Email, StringComparison.OrdinalIgnoreCase))
                    && mail.Text.Contains(w.Reference, StringComparison.Ordinal));
                if (waiting.Link is not null)
                {
                    waiting.Link.SetResult(new Uri(link.Value));
                    _waiting.Remove(waiting);
                    done.Add(mail);
                }
            }
        }

        return done;
    }

    public void Dispose() => _http.Dispose();

    private sealed record Mail(
        [property: JsonPropertyName("id")] string Id,
        [property: JsonPropertyName("text")] string Text,
        [property: JsonPropertyName("to")] IReadOnlyList<Recipient> To);

    private sealed record Recipient([property: JsonPropertyName("address")] string Address);
}
