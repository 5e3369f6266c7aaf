using System.Security.Cryptography;
using System.Text;
using Closely.Contracts;
using Closely.IntegrationTests.Infrastructure;
using Microsoft.Playwright;

namespace Closely.IntegrationTests.Intake;

[Collection(PlatformServersCollection.Name)]
public sealed class OptOutTests(PlatformServers servers, Browser browser)
{
    [Fact]
    public async Task Opting_out_suppresses_the_address_by_its_keyed_hash_and_downstream_systems_hear_its_sha256()
    {
        var database = await PlatformDatabase.CreateAsync(servers, "privacy_centre_opt_out");
        var vhost = await servers.CreateVirtualHostAsync("privacy-centre-opt-out");
        await using var intake = await servers.StartPrivacyCentreAsync(database, vhost);
        var objected = await intake.RecordAsync<SubjectObjected>();
        await using var context = await browser.NewContextAsync(intake.BaseUrl);
        var page = await context.NewPageAsync();

        // A bad address first: a readable problem, the address kept, nothing stored.
        await page.GotoAsync("/opt-out");
        var email = page.GetByLabel("Email address");
        await email.FillAsync("ada.lovelace@");
        await page.GetByRole(AriaRole.Button, new() { Name = "Stop marketing emails" }).ClickAsync();
        await Assertions.Expect(page.Locator("#error-summary")).ToBeFocusedAsync();
        await Assertions.Expect(page.Locator("#error-summary").GetByRole(AriaRole.Link, new() { Name = "Enter an email address" }))
            .ToHaveAttributeAsync("href", "#Email");
        Assert.Equal("ada.lovelace@", await email.InputValueAsync());
        Assert.Contains("Email-error", await email.GetAttributeAsync("aria-describedby") ?? "", StringComparison.Ordinal);
        Assert.Empty(await intake.RawRowsAsync("requests"));

        await email.FillAsync("  Ada.Lovelace@Example.org ");
        await page.GetByRole(AriaRole.Button, new() { Name = "Stop marketing emails" }).ClickAsync();
        await Assertions.Expect(page).ToHaveTitleAsync("You will not receive marketing from us – Closely privacy centre");

        var suppression = Assert.Single(await intake.RawRowsAsync("suppressions"));
        Assert.DoesNotContain("lovelace", suppression, StringComparison.OrdinalIgnoreCase);
        var keyedHash = Convert.ToHexStringLower(servers.Protector().EmailIndex("ada.lovelace@example.org"));
        Assert.Contains($"\"email_index\":\"\\\\x{keyedHash}\"", suppression, StringComparison.Ordinal);
        Assert.Contains("\"scope\":\"direct-marketing\"", suppression, StringComparison.Ordinal);
        var request = Assert.Single(await intake.RawRowsAsync("requests"));
        Assert.DoesNotContain("lovelace", request, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("\"channel\":\"OptOut\"", request, StringComparison.Ordinal);
        Assert.Contains("\"right\":\"Objection\"", request, StringComparison.Ordinal);

        await TestSettings.EventuallyAsync(() => Task.FromResult(!objected.IsEmpty), "SubjectObjected published");
        var message = Assert.Single(objected);
        Assert.Equal("direct-marketing", message.Scope);
        var subject = Assert.Single(message.Subject);
        Assert.Equal("email", subject.Kind);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes("ada.lovelace@example.org"))), subject.Sha256);
    }

    [Fact]
    public async Task A_visitor_sending_forms_too_often_gets_a_readable_page_and_can_still_read_the_pages()
    {
        var database = await PlatformDatabase.CreateAsync(servers, "privacy_centre_rate_limit");
        var vhost = await servers.CreateVirtualHostAsync("privacy-centre-rate-limit");
        await using var intake = await servers.StartPrivacyCentreAsync(database, vhost, permitsPerMinute: 2);
        using var client = new HttpClient { BaseAddress = intake.BaseUrl };

        for (var attempt = 1; attempt <= 2; attempt++)
        {
            using var form = new FormUrlEncodedContent(new Dictionary<string, string> { ["Email"] = "ada.lovelace@example.org" });
            using var refused = await client.PostAsync(new Uri("/opt-out", UriKind.Relative), form);
            Assert.Equal(System.Net.HttpStatusCode.BadRequest, refused.StatusCode);
        }

        using var third = new FormUrlEncodedContent(new Dictionary<string, string> { ["Email"] = "ada.lovelace@example.org" });
        using var limited = await client.PostAsync(new Uri("/opt-out", UriKind.Relative), third);
        Assert.Equal(System.Net.HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.Equal("text/html", limited.Content.Headers.ContentType?.MediaType);
        Assert.Contains("Please wait a minute and try again", await limited.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        using var page = await client.GetAsync(new Uri("/opt-out", UriKind.Relative));
        Assert.Equal(System.Net.HttpStatusCode.OK, page.StatusCode);
        Assert.Empty(await intake.RawRowsAsync("requests"));
    }

    [Fact]
    public async Task When_the_database_cannot_be_reached_the_visitor_gets_a_readable_page_not_an_error_document()
    {
        var vhost = await servers.CreateVirtualHostAsync("privacy-centre-no-database");
        await using var intake = await servers.StartPrivacyCentreAsync(
            "Host=127.0.0.1;Port=1;Database=closely;Username=closely;Password=unused;Timeout=2", vhost, waitUntilHealthy: false);
        await using var context = await browser.NewContextAsync(intake.BaseUrl);
        var page = await context.NewPageAsync();

        await page.GotoAsync("/opt-out");
        await page.GetByLabel("Email address").FillAsync("ada.lovelace@example.org");
        var response = await page.RunAndWaitForResponseAsync(
            () => page.GetByRole(AriaRole.Button, new() { Name = "Stop marketing emails" }).ClickAsync(), r => r.Request.Method == "POST");

        Assert.Equal(500, response.Status);
        await Assertions.Expect(page).ToHaveTitleAsync("Sorry, something went wrong on our side – Closely privacy centre");
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "Back to the form" })).ToHaveAttributeAsync("href", "/opt-out");
    }
}
