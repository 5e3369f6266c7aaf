using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Closely.IntegrationTests.Infrastructure;
using Closely.ServiceProcesses;

namespace Closely.FaultTests;

// The requesters: they ask through Intake's API and confirm the links they are mailed.
public sealed partial class ErasureFaultTests
{
    private async Task<List<Request>> SubmitAsync(List<Person> subjects)
    {
        using var intake = Platform.Intake.CreateClient();
        var requests = new List<Request>();
        foreach (var subject in subjects)
        {
            using var response = await intake.PostAsJsonAsync(new Uri("/api/requests", UriKind.Relative), new
            {
                type = "erasure",
                email = subject.Email,
                fullName = $"Fault Test {subject.Id}",
                details = "Please erase everything you hold about me.",
            });
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
            var accepted = await response.Content.ReadFromJsonAsync<JsonElement>();
            requests.Add(new Request(subject, accepted.GetProperty("id").GetGuid(), accepted.GetProperty("reference").GetString()!));
        }

        return requests;
    }

    /// <summary>
    /// The requesters: each released request's latest verification email is opened and its form confirmed, as a person
    /// in a browser would; a confirmation that fails (the broker is down) is tried again with the next look.
    /// </summary>
    private async Task VerifyAsync(List<Request> requests, CancellationToken stop)
    {
        using var browser = Platform.Identity.CreateClient();
        var confirmed = new HashSet<Guid>();
        while (!stop.IsCancellationRequested && confirmed.Count < requests.Count)
        {
            var waiting = requests.Take(Volatile.Read(ref _released)).Where(r => !confirmed.Contains(r.CaseId)).ToList();
            var mails = waiting.Count > 0 ? await MailDev.MailsAsync() : [];
            foreach (var request in waiting)
            {
                var mail = mails.LastOrDefault(m => m.IsTo(request.Subject.Email) && m.Text.Contains(request.Reference, StringComparison.Ordinal) && MailedLinks.Verification().IsMatch(m.Text));
                if (mail is not null && await ConfirmAsync(browser, new Uri(MailedLinks.Verification().Match(mail.Text).Value)))
                {
                    confirmed.Add(request.CaseId);
                }
            }

            await Task.Delay(TimeSpan.FromMilliseconds(250), CancellationToken.None);
        }
    }

    private static async Task<bool> ConfirmAsync(HttpClient browser, Uri link)
    {
        try
        {
            var page = await browser.GetStringAsync(new Uri(link.PathAndQuery, UriKind.Relative));
            await HtmlForms.SubmitAsync(browser, page, HttpStatusCode.OK);
            return true;
        }
        catch (Exception e) when (e is HttpRequestException or Xunit.Sdk.XunitException)
        {
            // The link's page or its confirmation failed (e.g. Identity could not publish while the broker was down): next look.
            return false;
        }
    }
}
