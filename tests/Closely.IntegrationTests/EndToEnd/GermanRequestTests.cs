using System.Text.RegularExpressions;
using Closely.Cases.Saga;
using Closely.Identity.Persistence;
using Closely.IntegrationTests.Cases;
using Closely.IntegrationTests.Infrastructure;
using Closely.IntegrationTests.Intake;
using Closely.Notification.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using Closely.ServiceProcesses;

namespace Closely.IntegrationTests.EndToEnd;

/// <summary>
/// A person who switches the privacy centre to German and sends the form gets every email of the case in German
/// (in maildev), a German verification page and a German status page — Intake, Identity, Cases and Notification
/// in-process on one database and virtual host.
/// </summary>
[Collection(PlatformServersCollection.Name)]
public sealed partial class GermanRequestTests(PlatformServers servers, Browser browser)
{
    private const string Name = "Grete Müller";

    [Fact]
    public async Task The_form_sent_in_german_makes_a_case_whose_every_email_is_german()
    {
        var database = await PlatformDatabase.CreateAsync(servers, "german_request");
        var vhost = await servers.CreateVirtualHostAsync("german-request");
        await using var cases = await servers.StartCasesAsync(database, vhost);
        await using var notification = await ServiceHost<NotificationDbContext>.StartAsync(servers, database, vhost);
        await using var identity = await ServiceHost<IdentityDbContext>.StartAsync(servers, database, vhost, options => options.ServeOnLoopback = true);
        await using var intake = await servers.StartPrivacyCentreAsync(database, vhost);
        await using var context = await browser.NewContextAsync(intake.BaseUrl);
        var page = await context.NewPageAsync();
        var email = $"grete.mueller.{Guid.NewGuid():N}@example.org";

        // The visitor's browser asks for English; the switch turns the form German.
        await page.GotoAsync("/");
        await page.GetByRole(AriaRole.Navigation, new() { Name = "Language" }).GetByRole(AriaRole.Link, new() { Name = "Deutsch" }).ClickAsync();
        await Assertions.Expect(page).ToHaveTitleAsync("Datenschutzantrag stellen – Closely Datenschutzcenter");
        await page.GetByRole(AriaRole.Radio, new() { Name = "Widerspruch: der Verarbeitung Ihrer Daten widersprechen" }).CheckAsync();
        await page.GetByLabel("Direktwerbung: Schicken Sie mir keine Werbung mehr, sofort und für immer").CheckAsync();
        await page.GetByLabel("Vollständiger Name", new() { Exact = true }).FillAsync(Name);
        await page.GetByLabel("E-Mail-Adresse", new() { Exact = true }).FillAsync(email);
        await page.GetByRole(AriaRole.Button, new() { Name = "Antrag senden" }).ClickAsync();

        await Assertions.Expect(page).ToHaveTitleAsync("Ihr Antrag ist bei uns eingegangen – Closely Datenschutzcenter");
        var reference = await page.Locator("#reference").InnerTextAsync();
        Assert.Matches(GermanDate(), await page.Locator("#due-on").InnerTextAsync());
        Assert.EndsWith("&lang=de", await page.Locator("#status-link").GetAttributeAsync("href"), StringComparison.Ordinal);

        // The acknowledgement and the verification email, in German.
        var acknowledgement = await MailAsync(email, $"Ihr Datenschutzantrag {reference} ist bei uns eingegangen");
        Assert.Contains("Ihr Anliegen: Widerspruch gegen die Verarbeitung (Art. 21 DSGVO)", acknowledgement.Text, StringComparison.Ordinal);
        Assert.Matches(GermanDate(), acknowledgement.Text);
        var statusLink = new Uri(StatusLink().Match(acknowledgement.Text).Value);
        Assert.EndsWith("&lang=de", statusLink.Query, StringComparison.Ordinal);
        var verification = await MailAsync(email, $"Bitte bestätigen Sie Ihren Datenschutzantrag {reference}");
        var link = new Uri(MailedLinks.Verification().Match(verification.Text).Value);
        Assert.EndsWith("&lang=de", link.Query, StringComparison.Ordinal);

        // The link opens a German page; its button confirms.
        await page.GotoAsync(new Uri(identity.BaseUrl, link.PathAndQuery).ToString());
        await Assertions.Expect(page).ToHaveTitleAsync($"Bestätigen Sie Ihren Antrag {reference} – Closely");
        await page.GetByRole(AriaRole.Button, new() { Name = "Antrag bestätigen" }).ClickAsync();
        await Assertions.Expect(page).ToHaveTitleAsync("Vielen Dank, Ihr Antrag ist bestätigt – Closely");

        // The objection to direct marketing, suppressed at intake, waits for the DPO, who completes it; the requester is
        // told, in German.
        Guid caseId;
        await using (var db = cases.NewDbContext())
        {
            caseId = await db.Cases.Where(c => c.Reference == reference).Select(c => c.CorrelationId).SingleAsync();
            Assert.Equal("de", await db.Cases.Where(c => c.CorrelationId == caseId).Select(c => c.Language).SingleAsync());
        }

        await cases.WaitForStateAsync(caseId, "AwaitingDpoAction");
        await page.GotoAsync(new Uri(intake.BaseUrl, statusLink.PathAndQuery).ToString());
        await Assertions.Expect(page.Locator("#stage")).ToContainTextAsync("Der Antrag ist bestätigt, und wir bearbeiten ihn.");
        await cases.Bus.Publish(new CompleteRequest { CaseId = caseId, Actor = "dpo", Note = "Wir verarbeiten Ihre Daten nicht mehr für diesen Zweck." });
        var completion = await MailAsync(email, $"Ihr Antrag {reference} ist abgeschlossen");
        Assert.Contains("Ihr Anliegen: Widerspruch gegen die Verarbeitung (Art. 21 DSGVO)", completion.Text, StringComparison.Ordinal);

        // Every email of the case is German; none is English.
        var mails = await MailDev.MailsToAsync(email);
        Assert.Equal(3, mails.Count);
        Assert.All(mails, m =>
        {
            Assert.Contains("Guten Tag,", m.Text, StringComparison.Ordinal);
            Assert.Contains("Mit freundlichen Grüßen", m.Text, StringComparison.Ordinal);
            Assert.DoesNotContain("Kind regards", m.Text, StringComparison.Ordinal);
            Assert.DoesNotContain("Hello,", m.Text, StringComparison.Ordinal);
        });
        await page.ReloadAsync();
        await TestSettings.EventuallyAsync(async () =>
        {
            await page.ReloadAsync();
            return (await page.Locator("#stage").InnerTextAsync()).Contains("Der Antrag ist erledigt.", StringComparison.Ordinal);
        }, "the status page showing the request done");
    }

    private static Task<MailDev.Email> MailAsync(string address, string subject) =>
        MailDev.MailToAsync(address, m => m.Subject == subject, $"the email '{subject}'");

    [GeneratedRegex(@"\b\d{1,2}\. (Januar|Februar|März|April|Mai|Juni|Juli|August|September|Oktober|November|Dezember) \d{4}\b")]
    private static partial Regex GermanDate();

    [GeneratedRegex(@"https?://\S+/api/requests/\S+")]
    private static partial Regex StatusLink();
}
