using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Closely.Benchmark;

/// <summary>
/// One person asking for erasure as a requester does: the intake API, the emailed verification link and its confirm
/// form (a browser with cookies: the form's antiforgery token), then the status URL until the case is completed.
/// Latency runs from the confirm POST's answer to the first status that says completed.
/// </summary>
public sealed partial class Requester(Uri intake, MailWatcher mail, Stopwatch clock)
{
    /// <summary>How often an open request's status is read: the latency's resolution, at a load on Intake of 2 reads a second per open request.</summary>
    private static readonly TimeSpan StatusInterval = TimeSpan.FromMilliseconds(500);

    public async Task<RequestOutcome> EraseAsync(string email, TimeSpan deadline, CancellationToken cancellationToken)
    {
        using var browser = new HttpClient(new HttpClientHandler { UseCookies = true }) { Timeout = TimeSpan.FromSeconds(60) };
        using var response = await browser.PostAsJsonAsync(new Uri(intake, "/api/requests"), new
        {
            type = "erasure",
            email,
            fullName = "Benchmark Requester",
            details = "Please erase everything you hold about me.",
        }, cancellationToken);
        if (response.StatusCode != HttpStatusCode.Accepted)
        {
            throw new InvalidOperationException($"POST /api/requests answered {(int)response.StatusCode}");
        }

        var accepted = await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
        var reference = accepted.GetProperty("reference").GetString()!;
        var status = new Uri(accepted.GetProperty("statusUrl").GetString()!);

        var link = await mail.VerificationLinkAsync(email, reference).WaitAsync(deadline - clock.Elapsed, cancellationToken);
        await ConfirmAsync(browser, link, cancellationToken);
        var confirmedAt = clock.Elapsed;

        while (clock.Elapsed < deadline)
        {
            var state = (await browser.GetFromJsonAsync<JsonElement>(status, cancellationToken)).GetProperty("status").GetString();
            if (state == "completed")
            {
                return new RequestOutcome(confirmedAt, clock.Elapsed);
            }

            await Task.Delay(StatusInterval, cancellationToken);
        }

        return new RequestOutcome(confirmedAt, null);
    }

    /// <summary>Opens the link's page and posts its form, as a person's browser does.</summary>
    private static async Task ConfirmAsync(HttpClient browser, Uri link, CancellationToken cancellationToken)
    {
        var page = await browser.GetStringAsync(link, cancellationToken);
        var form = FormPattern().Match(page);
        if (!form.Success)
        {
            throw new InvalidOperationException("the verification page has no form");
        }

        using var content = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            [WebUtility.HtmlDecode(form.Groups["name"].Value)] = WebUtility.HtmlDecode(form.Groups["value"].Value),
        });
        using var confirmed = await browser.PostAsync(new Uri(link, WebUtility.HtmlDecode(form.Groups["action"].Value)), content, cancellationToken);
        if (confirmed.StatusCode != HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"the confirm POST answered {(int)confirmed.StatusCode}");
        }
    }

    [GeneratedRegex("""<form method="post" action="(?<action>[^"]+)">\s*<input type="hidden" name="(?<name>[^"]+)" value="(?<value>[^"]*)">""")]
    private static partial Regex FormPattern();
}

/// <summary>When the request was confirmed and when its status first said completed (null: not before the deadline), from the run's clock.</summary>
public sealed record RequestOutcome(TimeSpan ConfirmedAt, TimeSpan? CompletedAt)
{
    public TimeSpan? Latency => CompletedAt - ConfirmedAt;
}
