using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text;
using Closely.BuildingBlocks.Privacy;
using Closely.Contracts;
using Closely.IntegrationTests.Cases;
using Closely.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;

namespace Closely.IntegrationTests.Intake;

[Collection(PlatformServersCollection.Name)]
public sealed partial class PrivacyCentreTests(PlatformServers servers, Browser browser)
{
    private const string SubjectName = "Grace Hopper";
    private const string SubjectEmail = "grace.hopper@example.org";
    private const string AgentName = "Margaret Hamilton";
    private const string AgentEmail = "margaret.hamilton@example.net";

    private static readonly (string Label, DataSubjectRight Right)[] Rights =
    [
        ("Access: a copy of the data we hold about you", DataSubjectRight.Access),
        ("Rectification: correct data that is wrong", DataSubjectRight.Rectification),
        ("Erasure: delete the data we hold about you", DataSubjectRight.Erasure),
        ("Restriction: stop using the data for now, but keep it", DataSubjectRight.Restriction),
        ("Portability: your data in a machine-readable file", DataSubjectRight.Portability),
        ("Objection: stop using your data", DataSubjectRight.Objection),
        ("Information about automated decisions", DataSubjectRight.AutomatedDecisionInformation),
    ];

    [Fact]
    public async Task Each_right_sent_through_the_form_becomes_a_case_of_that_right_due_on_the_date_the_confirmation_shows()
    {
        var database = await PlatformDatabase.CreateAsync(servers, "privacy_centre_rights");
        var vhost = await servers.CreateVirtualHostAsync("privacy-centre-rights");
        await using var cases = await servers.StartCasesAsync(database, vhost);
        await using var intake = await servers.StartPrivacyCentreAsync(database, vhost);
        await using var context = await browser.NewContextAsync(intake.BaseUrl);
        var page = await context.NewPageAsync();

        var shown = new Dictionary<string, (DataSubjectRight Right, DateOnly DueOn)>();
        foreach (var (label, right) in Rights)
        {
            await page.GotoAsync("/");
            await page.GetByRole(AriaRole.Radio, new() { Name = label, Exact = true }).CheckAsync();
            if (right == DataSubjectRight.Rectification)
            {
                await page.GetByLabel("What is wrong").FillAsync("My job title is Sales Manager.");
                await page.GetByLabel("The correction").FillAsync("My job title is Head of Sales.");
            }

            if (right == DataSubjectRight.Restriction)
            {
                await page.GetByLabel("(c) We no longer need the data, but you need it for legal claims").CheckAsync();
            }

            if (right == DataSubjectRight.Objection)
            {
                await page.GetByLabel("Direct marketing: stop sending me marketing, at once and for good").CheckAsync();
            }

            await FillSubjectAsync(page);
            await page.GetByRole(AriaRole.Button, new() { Name = "Send request" }).ClickAsync();

            await Assertions.Expect(page).ToHaveTitleAsync("We have received your request – Closely privacy centre");
            var reference = await page.Locator("#reference").InnerTextAsync();
            Assert.Matches("^DSR-[0-9]{4}-[2-9A-HJ-NP-Z]{6}$", reference);
            var dueOn = DateOnly.ParseExact((await page.Locator("#due-on").GetAttributeAsync("datetime"))!, "yyyy-MM-dd", CultureInfo.InvariantCulture);
            Assert.Contains(dueOn.ToString("d MMMM yyyy", CultureInfo.GetCultureInfo("en-GB")), await page.Locator("#due-on").InnerTextAsync(), StringComparison.Ordinal);
            Assert.StartsWith("http://127.0.0.1:5100/api/requests/", await page.Locator("#status-link").GetAttributeAsync("href"), StringComparison.Ordinal);
            shown[reference] = (right, dueOn);
        }

        await TestSettings.EventuallyAsync(async () =>
        {
            await using var db = cases.NewDbContext();
            return await db.Cases.CountAsync(c => shown.Keys.Contains(c.Reference)) == Rights.Length;
        }, "a case for every request");
        await using (var db = cases.NewDbContext())
        {
            var opened = await db.Cases.Where(c => shown.Keys.Contains(c.Reference)).ToListAsync();
            Assert.All(opened, c =>
            {
                Assert.Equal(shown[c.Reference].Right, c.Right);
                Assert.Equal(shown[c.Reference].DueOn, c.DueOn);
                Assert.Equal(IntakeChannel.WebForm, c.Channel);
                Assert.Equal(c.Right == DataSubjectRight.Restriction ? RestrictionGround.LegalClaims : null, c.RestrictionGround);
            });
        }

        // The objection to direct marketing put the address on the suppression list, as the opt-out does.
        var suppression = Assert.Single(await intake.RawRowsAsync("suppressions"));
        Assert.Contains($"\"email_index\":\"\\\\x{Convert.ToHexStringLower(servers.Protector().EmailIndex(SubjectEmail))}\"", suppression, StringComparison.Ordinal);
        Assert.Contains("\"scope\":\"direct-marketing\"", suppression, StringComparison.Ordinal);

        var rows = await intake.RawRowsAsync("requests");
        Assert.Equal(Rights.Length, rows.Count);
        Assert.All(rows, row => Assert.DoesNotContain("hopper", row, StringComparison.OrdinalIgnoreCase));
        Assert.All(rows, row => Assert.DoesNotContain("Head of Sales", row, StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task A_bad_email_a_missing_field_and_a_20_MB_upload_each_get_a_readable_error_keep_what_was_entered_and_store_nothing()
    {
        var database = await PlatformDatabase.CreateAsync(servers, "privacy_centre_invalid");
        var vhost = await servers.CreateVirtualHostAsync("privacy-centre-invalid");
        await using var intake = await servers.StartPrivacyCentreAsync(database, vhost);
        await using var context = await browser.NewContextAsync(intake.BaseUrl);
        var page = await context.NewPageAsync();

        // A bad email.
        await page.GotoAsync("/");
        await page.GetByRole(AriaRole.Radio, new() { Name = "Erasure: delete the data we hold about you" }).CheckAsync();
        await FillSubjectAsync(page, email: "grace.hopper(at)example.org");
        await SendAsync(page);
        await AssertProblemAsync(page, "SubjectEmail", "Enter the email address of the person the data is about");
        Assert.Equal("grace.hopper(at)example.org", await page.GetByLabel("Email address", new() { Exact = true }).InputValueAsync());
        Assert.Equal(SubjectName, await page.GetByLabel("Full name", new() { Exact = true }).InputValueAsync());
        Assert.True(await page.GetByRole(AriaRole.Radio, new() { Name = "Erasure: delete the data we hold about you" }).IsCheckedAsync());

        // A missing field: rectification without the correction.
        await page.GotoAsync("/");
        await page.GetByRole(AriaRole.Radio, new() { Name = "Rectification: correct data that is wrong" }).CheckAsync();
        await page.GetByLabel("What is wrong").FillAsync("My job title is Sales Manager.");
        await FillSubjectAsync(page);
        await SendAsync(page);
        await AssertProblemAsync(page, "Correction", "For rectification, give the correction");
        Assert.Equal("My job title is Sales Manager.", await page.GetByLabel("What is wrong").InputValueAsync());

        // A 20 MB authority: read to its end and discarded, answered with the form again.
        await page.GotoAsync("/");
        await page.GetByRole(AriaRole.Radio, new() { Name = "Access: a copy of the data we hold about you" }).CheckAsync();
        await FillAgentAsync(page);
        var huge = Path.Combine(Path.GetTempPath(), $"authority-{Guid.NewGuid():N}.pdf");
        await using (var file = File.Create(huge))
        {
            await file.WriteAsync("%PDF-1.7\n"u8.ToArray());
            file.SetLength(20 * 1024 * 1024);
        }

        await page.GetByLabel("Written authority").SetInputFilesAsync(huge);
        var clock = Stopwatch.StartNew();
        var response = await page.RunAndWaitForResponseAsync(() => SendAsync(page), r => r.Request.Method == "POST");
        Assert.Equal((int)HttpStatusCode.RequestEntityTooLarge, response.Status);
        Assert.InRange(clock.Elapsed, TimeSpan.Zero, TimeSpan.FromSeconds(10));
        await AssertProblemAsync(page, "Authority", "The written authority must be at most 5 MB");
        Assert.Equal(AgentEmail, await page.GetByLabel("Your email address").InputValueAsync());
        Assert.True(await page.GetByLabel("Someone else, who has authorised me to act for them").IsCheckedAsync());
        File.Delete(huge);

        // A form without its antiforgery token (another site posting it) is refused readably, too.
        using var client = new HttpClient { BaseAddress = intake.BaseUrl };
        using var forged = new MultipartFormDataContent
        {
            { new StringContent("erasure"), "Right" },
            { new StringContent(SubjectName), "SubjectFullName" },
            { new StringContent(SubjectEmail), "SubjectEmail" },
        };
        using var refused = await client.PostAsync(new Uri("/", UriKind.Relative), forged);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        Assert.Equal("text/html", refused.Content.Headers.ContentType?.MediaType);
        Assert.Contains("This form has expired for your security", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        Assert.Empty(await intake.RawRowsAsync("requests"));
        Assert.Empty(await intake.RawRowsAsync("request_attachments"));
    }

    [Fact]
    public async Task An_agents_request_keeps_the_authority_encrypted_and_a_file_that_only_claims_to_be_a_pdf_is_refused()
    {
        var database = await PlatformDatabase.CreateAsync(servers, "privacy_centre_agent");
        var vhost = await servers.CreateVirtualHostAsync("privacy-centre-agent");
        await using var intake = await servers.StartPrivacyCentreAsync(database, vhost);
        var received = await intake.RecordAsync<DsrReceived>();
        await using var context = await browser.NewContextAsync(intake.BaseUrl);
        var page = await context.NewPageAsync();

        // A text file dressed as a PDF, by name and declared type.
        await page.GotoAsync("/");
        await page.GetByRole(AriaRole.Radio, new() { Name = "Erasure: delete the data we hold about you" }).CheckAsync();
        await FillAgentAsync(page);
        await page.GetByLabel("Written authority").SetInputFilesAsync(new FilePayload
        {
            Name = "authority.pdf",
            MimeType = "application/pdf",
            Buffer = Encoding.UTF8.GetBytes("I, Grace Hopper, authorise Margaret Hamilton."),
        });
        await SendAsync(page);
        await AssertProblemAsync(page, "Authority", "The written authority must be a PDF, PNG or JPEG file");
        Assert.Empty(await intake.RawRowsAsync("requests"));

        // A real PDF: stored with the request, name and content encrypted.
        var pdf = Encoding.ASCII.GetBytes("%PDF-1.4\n1 0 obj << /Title (Authority of Grace Hopper for Margaret Hamilton) >> endobj\n%%EOF\n");
        await page.GetByLabel("Written authority").SetInputFilesAsync(new FilePayload { Name = "hopper-authority.pdf", MimeType = "application/pdf", Buffer = pdf });
        await SendAsync(page);
        await Assertions.Expect(page).ToHaveTitleAsync("We have received your request – Closely privacy centre");
        var reference = await page.Locator("#reference").InnerTextAsync();

        var request = Assert.Single(await intake.RawRowsAsync("requests"));
        Assert.Contains(reference, request, StringComparison.Ordinal);
        Assert.Contains("\"channel\":\"WebForm\"", request, StringComparison.Ordinal);
        Assert.Contains("\"right\":\"Erasure\"", request, StringComparison.Ordinal);
        Assert.DoesNotContain("\"agent_email_encrypted\":null", request, StringComparison.Ordinal);
        foreach (var plain in new[] { "hopper", "hamilton" })
        {
            Assert.DoesNotContain(plain, request, StringComparison.OrdinalIgnoreCase);
        }

        var attachment = Assert.Single(await intake.RawRowsAsync("request_attachments"));
        Assert.Contains("\"kind\":\"Authority\"", attachment, StringComparison.Ordinal);
        Assert.Contains("\"content_type\":\"application/pdf\"", attachment, StringComparison.Ordinal);
        Assert.Contains($"\"size_bytes\":{pdf.Length}", attachment, StringComparison.Ordinal);
        Assert.DoesNotContain("hopper", attachment, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("PDF-1.4", attachment, StringComparison.Ordinal);
        Assert.DoesNotContain(Convert.ToHexStringLower(pdf[..16]), attachment, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(Convert.ToBase64String(pdf)[..16], attachment, StringComparison.Ordinal);

        // The saga learns it is an agent's request for the subject, from the stored row.
        await TestSettings.EventuallyAsync(() => Task.FromResult(!received.IsEmpty), "DsrReceived published");
        var message = Assert.Single(received);
        Assert.Equal(reference, message.Reference);
        Assert.Equal(SubjectEmail, message.RequesterEmail(servers.Protector()));
        Assert.Equal(AgentEmail, message.AgentEmail(servers.Protector()));
    }

    private static async Task FillSubjectAsync(IPage page, string name = SubjectName, string email = SubjectEmail)
    {
        await page.GetByLabel("Full name", new() { Exact = true }).FillAsync(name);
        await page.GetByLabel("Email address", new() { Exact = true }).FillAsync(email);
    }

    private static async Task FillAgentAsync(IPage page)
    {
        await page.GetByLabel("Someone else, who has authorised me to act for them").CheckAsync();
        await FillSubjectAsync(page);
        await page.GetByLabel("Your full name").FillAsync(AgentName);
        await page.GetByLabel("Your email address").FillAsync(AgentEmail);
    }

    private static Task SendAsync(IPage page) =>
        page.GetByRole(AriaRole.Button, new() { Name = "Send request" }).ClickAsync();

    /// <summary>The page names the problem in a focused summary linking to the field, and beside the field, described by it.</summary>
    private static async Task AssertProblemAsync(IPage page, string fieldId, string message)
    {
        await Assertions.Expect(page).ToHaveTitleAsync(new System.Text.RegularExpressions.Regex("^Error: "));
        var summary = page.Locator("#error-summary");
        await Assertions.Expect(summary).ToBeFocusedAsync();
        await Assertions.Expect(summary.GetByRole(AriaRole.Link, new() { Name = message })).ToHaveAttributeAsync("href", "#" + fieldId);
        await Assertions.Expect(page.Locator($"#{fieldId}-error")).ToContainTextAsync(message);
        Assert.Contains(fieldId + "-error", await page.Locator("#" + fieldId).GetAttributeAsync("aria-describedby") ?? "", StringComparison.Ordinal);
    }
}
