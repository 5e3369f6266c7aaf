using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Closely.Identity.Persistence;
using Closely.Intake;
using Closely.IntegrationTests.Cases;
using Closely.IntegrationTests.Infrastructure;
using Closely.Notification.Persistence;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.EntityFrameworkCore;
using Xunit.Abstractions;
using static Closely.IntegrationTests.Intake.ClientTestSupport;

namespace Closely.IntegrationTests.Intake;

/// <summary>
/// Every input of the bad-input corpus, through the public request API, the client API and the privacy centre's form
/// (real HTTP posts with the form's antiforgery token and cookie), is refused with a 4xx that names the problem — a
/// ProblemDetails from the APIs, the form again with its error summary — and leaves nothing behind: no Intake row,
/// no case, no email. Intake, Cases, Identity and Notification run together, so a request let through would be
/// stored, opened and mailed; one valid request per channel (without a name, which no right needs) shows that mail
/// does get through, and the corpus is checked once those have arrived.
/// </summary>
[Collection(PlatformServersCollection.Name)]
public sealed class BadInputCorpusTests(PlatformServers servers, ITestOutputHelper output)
{
    [Fact]
    public async Task Every_bad_input_of_the_corpus_gets_a_4xx_and_nothing_is_stored_or_mailed()
    {
        var tag = $"corpus{Guid.NewGuid():N}"[..20];
        var inputs = BadInputCase.Inputs(tag);
        Assert.True(inputs.Count >= 200, $"the corpus has {inputs.Count} inputs");
        Assert.All(new[] { BadInputCase.Api, BadInputCase.Client, BadInputCase.Form }, channel => Assert.Contains(inputs, i => i.Channel == channel));

        var database = await PlatformDatabase.CreateAsync(servers, "bad_input_corpus");
        var vhost = await servers.CreateVirtualHostAsync("bad-input-corpus");
        await using var cases = await servers.StartCasesAsync(database, vhost);
        await using var notification = await ServiceHost<NotificationDbContext>.StartAsync(servers, database, vhost);
        await using var identity = await ServiceHost<IdentityDbContext>.StartAsync(servers, database, vhost);
        await using var intake = await servers.StartIntakeAsync(database, vhost, options =>
        {
            options.Set(Clients(permitsPerMinute: 100_000));
            options.Settings["Intake:RateLimit:PermitsPerMinute"] = "100000";
            options.Settings["Intake:PlatformDomains:0"] = "closely.example";
        });
        using var browser = intake.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        var antiforgeryToken = await HtmlForms.AntiforgeryTokenAsync(browser);

        var failures = new List<string>();
        foreach (var input in inputs)
        {
            var problem = await RefusalProblemAsync(intake, browser, antiforgeryToken, input, tag);
            if (problem is not null)
            {
                failures.Add($"{input.Name}: {problem}");
            }
        }

        // One valid request per channel, each without a name.
        await AcceptedAsync(await intake.Client.PostAsJsonAsync(
            new Uri("/api/requests", UriKind.Relative), new { type = "erasure", email = $"sentinel-api@{tag}.example.org" }));
        await AcceptedAsync(await intake.Client.SendAsync(Post(
            AcmeKey, "sentinel", JsonContent.Create(new { type = "access", email = $"sentinel-client@{tag}.example.org" }))));
        using (var form = new MultipartFormDataContent
        {
            { new StringContent(antiforgeryToken), "__RequestVerificationToken" },
            { new StringContent("portability"), "Right" },
            { new StringContent($"sentinel-form@{tag}.example.org"), "SubjectEmail" },
        })
        {
            using var sent = await browser.PostAsync(new Uri("/", UriKind.Relative), form);
            Assert.Equal(HttpStatusCode.Redirect, sent.StatusCode);
        }

        foreach (var address in new[] { "api", "client", "form" }.Select(channel => $"sentinel-{channel}@{tag}.example.org"))
        {
            await MailDev.MailToAsync(address, _ => true, "the mail of the valid request to " + address);
        }

        var intakeRows = (await intake.RawRowsAsync("requests")).Count + (await intake.RawRowsAsync("request_attachments")).Count
            + (await intake.RawRowsAsync("suppressions")).Count;
        await using var casesDb = cases.NewDbContext();
        var caseRows = await casesDb.Cases.CountAsync();
        var stored = intakeRows - 3 + (caseRows - 3);
        var mails = (await MailDev.MailsAsync())
            .Count(m => m.To.Any(t => t.Address.Contains(tag, StringComparison.OrdinalIgnoreCase) && !t.Address.StartsWith("sentinel-", StringComparison.Ordinal)));

        var refused = inputs.Count - failures.Count;
        var summary = $"{refused}/{inputs.Count} refused, {stored} stored, {mails} mails";
        output.WriteLine(summary);
        foreach (var failure in failures)
        {
            output.WriteLine(failure);
        }

        Assert.Equal($"{inputs.Count}/{inputs.Count} refused, 0 stored, 0 mails", summary);
    }

    /// <summary>Sends the input; null when it was refused as expected, else what was wrong.</summary>
    private static async Task<string?> RefusalProblemAsync(
        ServiceHost<IntakeOptions> intake, HttpClient browser, string antiforgeryToken, BadInput input, string tag)
    {
        using var response = input.Channel switch
        {
            BadInputCase.Api => await intake.Client.PostAsync(new Uri("/api/requests", UriKind.Relative), input.ApiContent(tag)),
            BadInputCase.Client => await intake.Client.SendAsync(Post(AcmeKey, $"corpus-{input.Index}", input.ApiContent(tag))),
            _ => await browser.PostAsync(new Uri("/", UriKind.Relative), input.FormContent(tag, antiforgeryToken)),
        };
        var body = await response.Content.ReadAsStringAsync();
        if ((int)response.StatusCode != input.Case.ExpectedStatus)
        {
            return $"answered {(int)response.StatusCode}, expected {input.Case.ExpectedStatus}";
        }

        if (input.Channel == BadInputCase.Form)
        {
            return response.Content.Headers.ContentType?.MediaType == "text/html"
                && body.Contains("id=\"error-summary\"", StringComparison.Ordinal)
                && body.Contains($"href=\"#{input.Case.FormErrorId}\"", StringComparison.Ordinal)
                ? null
                : $"the form's error summary does not point at {input.Case.FormErrorId}";
        }

        if (response.Content.Headers.ContentType?.MediaType != "application/problem+json")
        {
            return $"answered {response.Content.Headers.ContentType} instead of a ProblemDetails";
        }

        using var problem = JsonDocument.Parse(body);
        return input.Case.ProblemField is not { } field
            || (problem.RootElement.TryGetProperty("errors", out var errors) && errors.TryGetProperty(field, out _))
            ? null
            : $"the problem does not name {field}: {body}";
    }

    private static async Task AcceptedAsync(HttpResponseMessage response)
    {
        using (response)
        {
            Assert.True(response.StatusCode == HttpStatusCode.Accepted, await response.Content.ReadAsStringAsync());
        }
    }
}
