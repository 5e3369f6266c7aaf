using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Aspire.Hosting.Testing;
using Closely.AppHostTests.Infrastructure;
using Closely.IntegrationTests.Infrastructure;
using Closely.ServiceProcesses;

namespace Closely.AppHostTests;

/// <summary>The platform as the AppHost runs it: a request on the public API, the emailed link, every store.</summary>
[Collection(PlatformCollection.Name)]
public sealed class ErasureThroughTheAppHostTests(PlatformApp platform)
{
    private static readonly TimeSpan MailTimeout = TimeSpan.FromMinutes(2);
    private static readonly TimeSpan CaseTimeout = TimeSpan.FromMinutes(4);

    [Fact]
    public async Task An_erasure_of_the_demo_subject_verified_by_its_emailed_link_completes_in_every_store()
    {
        using var intake = platform.App.CreateHttpClient("intake", "http");
        using var submitted = await intake.PostAsJsonAsync(new Uri("/api/requests", UriKind.Relative), new
        {
            type = "erasure",
            email = "jane.doe@example.com",
            fullName = "Jane Doe",
            details = "Please erase all my data.",
        });
        Assert.Equal(HttpStatusCode.Accepted, submitted.StatusCode);
        var request = await submitted.Content.ReadFromJsonAsync<JsonElement>();
        var reference = request.GetProperty("reference").GetString()!;
        var statusUrl = new Uri(request.GetProperty("statusUrl").GetString()!);

        var link = await VerificationLinkAsync("jane.doe@example.com", reference);
        Assert.Equal(platform.App.GetEndpoint("identity", "http").Authority, link.Authority);
        using var requester = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer() }) { BaseAddress = link };
        var page = await requester.GetStringAsync(link);
        await HtmlForms.SubmitAsync(requester, page, HttpStatusCode.OK);

        var stores = await Eventually.GetAsync(async () =>
        {
            var status = await intake.GetFromJsonAsync<JsonElement>(statusUrl);
            return status.GetProperty("status").GetString() == "completed" ? status.GetProperty("stores").EnumerateArray().ToList() : null;
        }, $"case {reference} completed", CaseTimeout);
        // The demo subject has rows in each of the three sample stores, which the AppHost seeded.
        Assert.Equal(3, stores.Count);
    }

    // maildev keeps every mail the platform sent; its REST API lists them with their plain-text bodies.
    private async Task<Uri> VerificationLinkAsync(string recipient, string reference)
    {
        using var maildev = new HttpClient { BaseAddress = platform.App.GetEndpoint("maildev", "http") };
        return await Eventually.GetAsync(async () =>
        {
            var mails = await maildev.GetFromJsonAsync<JsonElement>(new Uri("/api/email", UriKind.Relative));
            return mails.EnumerateArray()
                .Where(m => m.GetProperty("to").EnumerateArray().Any(to => to.GetProperty("address").GetString() == recipient))
                .Select(m => m.GetProperty("text").GetString() ?? string.Empty)
                .Where(text => text.Contains(reference, StringComparison.Ordinal))
                .Select(text => MailedLinks.Verification().Match(text))
                .Where(match => match.Success)
                .Select(match => new Uri(match.Value))
                .FirstOrDefault();
        }, $"the verification email of {reference}", MailTimeout);
    }
}
