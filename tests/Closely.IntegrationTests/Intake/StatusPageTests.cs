using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Closely.Contracts;
using Closely.Intake;
using Closely.IntegrationTests.Infrastructure;
using Microsoft.Playwright;

namespace Closely.IntegrationTests.Intake;

/// <summary>The requester's status page in a browser: every stage of a case, in English and German, accessible, without personal data.</summary>
[Collection(PlatformServersCollection.Name)]
public sealed partial class StatusPageTests(PlatformServers servers, Browser browser)
{
    private const string Email = "grace.hopper@example.org";
    private const string FullName = "Grace Hopper";

    /// <summary>A stage of the case as the saga would publish it, and what the page must say about it in each language.</summary>
    private sealed record Stage(
        string Name,
        Func<Guid, int, CaseStatusChanged>? Change,
        (string En, string De) Says,
        (string En, string De) Next,
        (string En, string De)? Right = null,
        (string En, string De)? Extension = null,
        (string En, string De)? CurrentStep = null);

    private static readonly DateOnly DueOn = new(2026, 12, 23);
    private static readonly DateOnly ExtendedDueOn = new(2027, 2, 23);

    private static readonly Stage[] Stages =
    [
        new("received", null,
            ("We have received your request.", "Ihr Antrag ist bei uns eingegangen."),
            ("We will send an email with a link", "Wir senden der betroffenen Person eine E-Mail mit einem Link"),
            Right: ("Erasure of your data (Article 17 GDPR)", "Löschung (Art. 17 DSGVO)"),
            CurrentStep: null),
        new("waiting for the confirmation", (id, v) => Change(id, v, "AwaitingVerification"),
            ("are waiting for the confirmation", "warten auf die Bestätigung"),
            ("Please open the link in that email and press the button", "Bitte öffnen Sie den Link in dieser E-Mail"),
            CurrentStep: ("Request confirmed by email", "Antrag per E-Mail bestätigt")),
        new("right unclear, with the privacy team", (id, v) => Change(id, v, "AwaitingTriage") with { NeedsTriage = true },
            ("Our privacy team is reading your message", "Unser Datenschutzteam liest Ihre Nachricht"),
            ("We will email you when the request is done, by 23 December 2026 at the latest", "spätestens bis zum 23. Dezember 2026"),
            Right: ("Not yet determined", "Noch offen"),
            CurrentStep: ("Request being carried out", "Antrag in Bearbeitung")),
        new("being carried out", (id, v) => Change(id, v, "Executing") with
            {
                Stores =
                [
                    new StoreStatusView { StoreId = "hetzner-fsn1-crm", Status = "Completed" },
                    new StoreStatusView { StoreId = "hetzner-hel1-outreach", Status = "Pending" },
                    new StoreStatusView { StoreId = "aws-euc1-analytics", Status = "Pending" },
                ],
            },
            ("done in 1 of the 3 systems", "in 1 der 3 Systeme erledigt"),
            ("We will email you when the request is done", "Sobald der Antrag erledigt ist, schreiben wir Ihnen"),
            Right: ("Erasure of your data (Article 17 GDPR)", "Löschung (Art. 17 DSGVO)"),
            CurrentStep: ("Request being carried out", "Antrag in Bearbeitung")),
        new("extended", (id, v) => Change(id, v, "Executing") with
            {
                DueOn = ExtendedDueOn,
                Extended = true,
                ExtensionReason = "Three archives must be searched by hand.",
            },
            ("The request is confirmed and we are carrying it out.", "Der Antrag ist bestätigt, und wir bearbeiten ihn."),
            ("by 23 February 2027 at the latest", "spätestens bis zum 23. Februar 2027"),
            Extension: (
                "We have extended the time for our answer by two months, as Article 12(3) GDPR allows. We will now answer by 23 February 2027 at the latest. Our reason: Three archives must be searched by hand. If you disagree, you have the right to lodge a complaint with a data protection supervisory authority.",
                "Wir haben die Frist für unsere Antwort um zwei Monate verlängert, wie es Art. 12 Abs. 3 DSGVO erlaubt. Wir antworten nun spätestens bis zum 23. Februar 2027. Unsere Begründung: Three archives must be searched by hand. Sind Sie mit der Verlängerung nicht einverstanden, haben Sie das Recht, Beschwerde bei einer Aufsichtsbehörde einzulegen.")),
        new("done", (id, v) => Change(id, v, "Completed"),
            ("The request is done. We have emailed you the outcome.", "Der Antrag ist erledigt. Das Ergebnis haben wir Ihnen per E-Mail mitgeteilt."),
            ("You also have the right to lodge a complaint with a data protection supervisory authority.", "Außerdem haben Sie das Recht, Beschwerde bei einer Aufsichtsbehörde einzulegen.")),
        new("refused", (id, v) => Change(id, v, "Refused"),
            ("we consider it manifestly unfounded or excessive", "für offenkundig unbegründet oder exzessiv halten"),
            ("You have the right to lodge a complaint with a data protection supervisory authority", "Sie haben das Recht, Beschwerde bei einer Aufsichtsbehörde einzulegen")),
        new("not acted on", (id, v) => Change(id, v, "Rejected"),
            ("We have not acted on the request", "Wir haben den Antrag nicht bearbeitet"),
            ("You can make a new request at any time:", "Sie können jederzeit einen neuen Antrag stellen:")),
        new("withdrawn", (id, v) => Change(id, v, "WithdrawnByRequester"),
            ("The request has been withdrawn, as you asked.", "Der Antrag wurde auf Ihren Wunsch zurückgezogen."),
            ("You can make a new request at any time:", "Sie können jederzeit einen neuen Antrag stellen:")),
    ];

    [Fact]
    public async Task The_status_link_shows_a_browser_each_stage_of_the_case_in_english_and_german_without_personal_data()
    {
        var database = await PlatformDatabase.CreateAsync(servers, "status_page");
        var vhost = await servers.CreateVirtualHostAsync("status-page");
        await using var intake = await servers.StartPrivacyCentreAsync(database, vhost);
        var (id, statusLink) = await SubmitAsync(intake);
        await using var context = await browser.NewContextAsync(intake.BaseUrl);
        var page = await context.NewPageAsync();

        for (var version = 0; version < Stages.Length; version++)
        {
            var stage = Stages[version];
            if (stage.Change is { } change)
            {
                await intake.Bus.Publish(change(id, version + 1));
            }

            // The status link a person follows from the email: it opens the page, in the language of the link.
            await TestSettings.EventuallyAsync(async () =>
            {
                await page.GotoAsync(statusLink);
                return (await page.Locator("#stage").InnerTextAsync()).Contains(stage.Says.En, StringComparison.Ordinal);
            }, $"the status page at the stage '{stage.Name}'");
            Assert.Equal($"/requests/{id}/status", new Uri(page.Url).AbsolutePath);
            await AssertStageAsync(page, stage, german: false);

            // The visible switch turns the same page into German.
            await page.GetByRole(AriaRole.Navigation, new() { Name = "Language" }).GetByRole(AriaRole.Link, new() { Name = "Deutsch" }).ClickAsync();
            await AssertStageAsync(page, stage, german: true);
        }
    }

    [Fact]
    public async Task The_status_link_answers_an_api_client_with_json_and_a_wrong_token_with_a_readable_page_for_a_browser()
    {
        var database = await PlatformDatabase.CreateAsync(servers, "status_page_api");
        var vhost = await servers.CreateVirtualHostAsync("status-page-api");
        await using var intake = await servers.StartPrivacyCentreAsync(database, vhost);
        var (id, statusLink) = await SubmitAsync(intake);
        using var client = new HttpClient { BaseAddress = intake.BaseUrl };

        var json = await client.GetFromJsonAsync<JsonElement>(new Uri(statusLink, UriKind.Relative));
        Assert.Equal("received", json.GetProperty("status").GetString());

        await using var context = await browser.NewContextAsync(intake.BaseUrl);
        var page = await context.NewPageAsync();
        var response = await page.GotoAsync($"/api/requests/{id}/status?token=wrong&lang=de");
        Assert.Equal((int)HttpStatusCode.NotFound, response!.Status);
        await Assertions.Expect(page).ToHaveTitleAsync("Wir finden diesen Antrag nicht – Closely Datenschutzcenter");
        Assert.DoesNotContain(FullName, await page.ContentAsync(), StringComparison.Ordinal);
    }

    private static async Task AssertStageAsync(IPage page, Stage stage, bool german)
    {
        string Pick((string En, string De) text) => german ? text.De : text.En;
        var language = german ? "de" : "en";
        await Assertions.Expect(page.Locator("#stage")).ToContainTextAsync(Pick(stage.Says));
        await Assertions.Expect(page.Locator("#next")).ToContainTextAsync(Pick(stage.Next));
        await Assertions.Expect(page).ToHaveTitleAsync(new System.Text.RegularExpressions.Regex(german ? "^Ihr Antrag DSR-" : "^Your request DSR-"));
        if (stage.Right is { } right)
        {
            await Assertions.Expect(page.Locator("#right")).ToContainTextAsync(Pick(right));
        }

        if (stage.Extension is { } extension)
        {
            await Assertions.Expect(page.Locator("#extension")).ToContainTextAsync(Pick(extension).Split(". ")[0]);
            Assert.Equal(Pick(extension), Normalise(await page.Locator("#extension p").AllInnerTextsAsync()));
            await Assertions.Expect(page.Locator("#due-on")).ToHaveTextAsync(german ? "23. Februar 2027 (verlängert)" : "23 February 2027 (extended)");
        }
        else
        {
            await Assertions.Expect(page.Locator("#extension")).ToHaveCountAsync(0);
        }

        if (stage.CurrentStep is { } step)
        {
            await Assertions.Expect(page.Locator("#steps [aria-current=step]")).ToContainTextAsync(Pick(step));
        }

        var content = await page.ContentAsync();
        Assert.DoesNotContain(Email, content, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(FullName, content, StringComparison.OrdinalIgnoreCase);
        await Accessibility.AssertAccessibleAsync(page, $"the status page at the stage '{stage.Name}'", language);
    }

    private static string Normalise(IEnumerable<string> paragraphs) => string.Join(' ', paragraphs.Select(p => p.Trim()));

    /// <summary>An English erasure request through the API: its id and the status link's path and query.</summary>
    private static async Task<(Guid Id, string StatusLink)> SubmitAsync(ServiceHost<IntakeOptions> intake)
    {
        using var client = new HttpClient { BaseAddress = intake.BaseUrl };
        using var response = await client.PostAsJsonAsync(new Uri("/api/requests", UriKind.Relative), new { type = "erasure", email = Email, fullName = FullName });
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        return (body.GetProperty("id").GetGuid(), new Uri(body.GetProperty("statusUrl").GetString()!).PathAndQuery);
    }

    private static CaseStatusChanged Change(Guid id, int version, string state) => new()
    {
        CaseId = id,
        State = state,
        Right = DataSubjectRight.Erasure,
        DueOn = DueOn,
        Extended = false,
        Stores = [],
        Version = version,
    };
}
