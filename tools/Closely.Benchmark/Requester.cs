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
        Uri status;
        TimeSpan confirmedAt;
        try
        {
            (var reference, status) = await SubmitAsync(browser, email, cancellationToken);
            var link = await mail.VerificationLinkAsync(email, reference).WaitAsync(deadline - clock.Elapsed is { Ticks: > 0 } left ? left : TimeSpan.Zero, cancellationToken);
            await ConfirmAsync(browser, link, cancellationToken);
            confirmedAt = clock.Elapsed;
        }
        catch (Exception e) when (Overloaded(e, cancellationToken))
        {
            // What a person would see of an overloaded platform: an error or no answer; the request did not get through.
            return new RequestOutcome(null, null, e.GetType().Name);
        }

        while (clock.Elapsed < deadline)
        {
            try
            {
                var state = (await browser.GetFromJsonAsync<JsonElement>(status, cancellationToken)).GetProperty("status").GetString();
                if (state == "completed")
                {
                    return new RequestOutcome(confirmedAt, clock.Elapsed, null);
                }
            }
            catch (Exception e) when (Overloaded(e, cancellationToken))
            {
                // A status read that failed is read again, as a person reloads the page.
            }

            await Task.Delay(StatusInterval, cancellationToken);
        }

        return new RequestOutcome(confirmedAt, null, null);
    }

    /// <summary>An HTTP error, or no answer in time, and not because the run was cancelled.</summary>
    private static bool Overloaded(Exception e, CancellationToken cancellationToken) =>
        e is HttpRequestException or TimeoutException || (e is TaskCanceledException && !cancellationToken.IsCancellationRequested);

    private async Task<(string Reference, Uri Status)> SubmitAsync(HttpClient browser, string email, CancellationToken cancellationToken)
    {
        using var response = await browser.PostAsJsonAsync(new Uri(intake, "/api/requests"), new
        {
            type = "erasure",
            email,
            fullName = "Benchmark Requester",
            details = "Please erase everything you hold about me.",
        }, cancellationToken);
        if (response.StatusCode != HttpStatusCode.Accepted)
        {
            throw new HttpRequestException($"POST /api/requests answered {(int)response.StatusCode}", null, response.StatusCode);
        }

        var accepted = await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
        return (accepted.GetProperty("reference").GetString()!, new Uri(accepted.GetProperty("statusUrl").GetString()!));
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
            throw new HttpRequestException($"the confirm POST answered {(int)confirmed.StatusCode}", null, confirmed.StatusCode);
        }
    }

    [GeneratedRegex("""<form method="post" action="(?<action>[^"]+)">\s*<input type="hidden" name="(?<name>[^"]+)" value="(?<value>[^"]*)">""")]
    private static partial Regex FormPattern();
}

/// <summary>
/// When the request was confirmed (null: it did not get that far) and when its status first said completed (null: not
/// before the deadline), from the run's clock; <paramref name="Failure"/> names the error that stopped it before the
/// confirmation, if one did.
/// </summary>
public sealed record RequestOutcome(TimeSpan? ConfirmedAt, TimeSpan? CompletedAt, string? Failure)
{
    public TimeSpan? Latency => CompletedAt - ConfirmedAt;
}
