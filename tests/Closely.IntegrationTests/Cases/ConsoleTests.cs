using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Closely.BuildingBlocks.Deadlines;
using Closely.BuildingBlocks.Privacy;
using Closely.Cases;
using Closely.Cases.DpoConsole;
using Closely.Cases.Saga;
using Closely.Contracts;
using Closely.IntegrationTests.Infrastructure;
using Closely.Notification.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;
using Browser = Closely.IntegrationTests.Infrastructure.Browser;

namespace Closely.IntegrationTests.Cases;

/// <summary>
/// The DPO console in a real browser: Cases served on loopback with two console users, Notification
/// on the same database and virtual host sending to maildev, cases seeded through the bus.
/// </summary>
[Collection(PlatformServersCollection.Name)]
public sealed partial class ConsoleTests(PlatformServers servers, Browser browser) : IAsyncLifetime
{
    private Uri _vhost = null!;
    private ServiceHost<NotificationDbContext> _notification = null!;
    private ServiceHost<CasesOptions> _cases = null!;
    private Uri _baseUrl = null!;

    public async Task InitializeAsync()
    {
        var database = await PlatformDatabase.CreateAsync(servers, "console");
        _vhost = await servers.CreateVirtualHostAsync("console");
        _notification = await ServiceHost<NotificationDbContext>.StartAsync(servers, database, _vhost);
        _cases = await servers.StartCasesAsync(database, _vhost, options => options.ServeOnLoopback = true);
        _baseUrl = _cases.BaseUrl;
    }

    public async Task DisposeAsync()
    {
        await _cases.DisposeAsync();
        await _notification.DisposeAsync();
        await servers.DeleteVirtualHostAsync(_vhost);
    }

    [Fact]
    public async Task Anonymous_visitors_are_sent_to_the_sign_in_from_pages_and_refused_by_the_api()
    {
        // None of these endpoints declares an authorization requirement of its own: the fallback policy closes them.
        var seeded = await SeedAsync(daysAgo: 3);
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false, UseCookies = false }) { BaseAddress = _baseUrl };

        foreach (var page in new[] { "/cases", $"/cases/{seeded.Id}", "/dashboard", "/" })
        {
            using var response = await http.GetAsync(new Uri(page, UriKind.Relative));
            Assert.True(response.StatusCode == HttpStatusCode.Redirect, $"GET {page}: {response.StatusCode}");
            Assert.StartsWith("/signin", response.Headers.Location!.PathAndQuery, StringComparison.Ordinal);
        }

        foreach (var api in new[] { "/api/cases", $"/api/cases/{seeded.Id}", $"/cases/{seeded.Id}/authority-document", $"/cases/{seeded.Id}/evidence", $"/cases/{seeded.Id}/audit/verification" })
        {
            using var response = await http.GetAsync(new Uri(api, UriKind.Relative));
            Assert.True(response.StatusCode == HttpStatusCode.Unauthorized, $"GET {api}: {response.StatusCode}");
        }

        foreach (var open in new[] { "/health", "/alive", "/signin" })
        {
            using var response = await http.GetAsync(new Uri(open, UriKind.Relative));
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"GET {open}: {response.StatusCode}");
        }
    }

    [Fact]
    public async Task The_dpo_finds_the_overdue_case_extends_a_case_within_its_first_month_and_is_refused_for_the_overdue_one()
    {
        var extensions = await _cases.RecordAsync<ExtendDeadline>();
        var overdue = await SeedAsync(daysAgo: 45);
        var fresh = await SeedAsync(daysAgo: 3);
        await using var context = await browser.NewContextAsync(_baseUrl);
        var page = await context.NewPageAsync();
        await SignInAsync(page, "/cases", ConsoleSignIn.Dpo);

        // A search by the requester's email finds the case through the blind index; the address stays out of the URL.
        await page.GetByLabel("Search by reference or requester email").FillAsync(fresh.Email.ToUpperInvariant());
        await page.GetByRole(AriaRole.Button, new() { Name = "Search" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = fresh.Reference })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = overdue.Reference })).ToHaveCountAsync(0);
        Assert.DoesNotContain("example.com", page.Url, StringComparison.OrdinalIgnoreCase);

        // Overdue only: the overdue case is listed, the case not yet due is not.
        await page.GetByLabel("Overdue only").CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Filter" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = overdue.Reference })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = fresh.Reference })).ToHaveCountAsync(0);

        // The overdue case is past its first month: the extension is refused with its reason, and nothing is sent.
        await page.GetByRole(AriaRole.Link, new() { Name = overdue.Reference }).ClickAsync();
        await page.GetByLabel("Reason for the extension").FillAsync("We need the archive back from storage.");
        await page.GetByRole(AriaRole.Button, new() { Name = "Extend the deadline by two months" }).ClickAsync();
        var firstMonthEnded = _cases.Services.GetRequiredService<StatutoryDeadlines>().For(overdue.ReceivedAt).DueOn;
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync(
            $"An extension may be given only within the first month, which ended on {firstMonthEnded.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)} (Art 12(3))");

        // The case within its first month is extended with a reason.
        await page.GotoAsync("/cases");
        await page.GetByRole(AriaRole.Link, new() { Name = fresh.Reference }).ClickAsync();
        const string Reason = "Your request covers ten years of records held by three of our stores.";
        await page.GetByLabel("Reason for the extension").FillAsync(Reason);
        await page.GetByRole(AriaRole.Button, new() { Name = "Extend the deadline by two months" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("The extension was sent");
        Assert.Equal($"/cases/{fresh.Id}", new Uri(page.Url).AbsolutePath);

        // The requester is told, with the reason.
        await TestSettings.EventuallyAsync(
            async () => (await MailDev.MailsToAsync(fresh.Email)).Any(m => m.Subject.Contains(fresh.Reference, StringComparison.Ordinal) && m.Text.Contains(Reason, StringComparison.Ordinal)),
            "the extension notice with its reason in maildev");
        await using (var db = _cases.NewDbContext())
        {
            var extended = await db.Cases.AsNoTracking().SingleAsync(c => c.CorrelationId == fresh.Id);
            Assert.True(extended.Extended);
            Assert.Contains(await db.AuditEntries.Where(a => a.CaseId == fresh.Id).ToListAsync(), a => a.Action == "extended" && a.Actor == ConsoleSignIn.Dpo.Name);
            Assert.False((await db.Cases.AsNoTracking().SingleAsync(c => c.CorrelationId == overdue.Id)).Extended);
        }

        // The case links to its evidence export and the check of its audit trail, which the DPO may open.
        var verification = await page.APIRequest.GetAsync(await page.GetByRole(AriaRole.Link, new() { Name = "Verify the audit trail's hash chain" }).GetAttributeAsync("href") ?? "");
        Assert.Equal(200, verification.Status);
        Assert.Contains("\"intact\":true", (await verification.TextAsync()).Replace(" ", "", StringComparison.Ordinal), StringComparison.Ordinal);
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Download the evidence export" })).ToHaveAttributeAsync("href", $"/cases/{fresh.Id}/evidence");

        // The refused extension was never published: only the granted one went out.
        Assert.Equal([fresh.Id], extensions.Select(e => e.CaseId));
    }

    [Fact]
    public async Task A_viewer_sees_the_cases_without_action_forms_and_a_forged_action_is_refused_and_changes_nothing()
    {
        var extensions = await _cases.RecordAsync<ExtendDeadline>();
        var seeded = await SeedAsync(daysAgo: 3);
        await using var context = await browser.NewContextAsync(_baseUrl);
        var page = await context.NewPageAsync();

        await page.GotoAsync("/cases");
        await page.GetByLabel("User name").FillAsync(ConsoleSignIn.Viewer.Name);
        await page.GetByLabel("Password").FillAsync("not the password");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("The user name, the password or the authentication code is wrong.");
        await SignInAsync(page, "/cases", ConsoleSignIn.Viewer);

        await page.GetByRole(AriaRole.Link, new() { Name = seeded.Reference }).ClickAsync();
        await Expect(page.GetByText(seeded.Email)).ToBeVisibleAsync();
        await Expect(page.Locator("section.actions")).ToHaveCountAsync(0);
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Extend the deadline by two months" })).ToHaveCountAsync(0);

        // The viewer's own antiforgery token (from the sign-out form) is valid; the role is what is refused.
        var token = await page.Locator("input[name=__RequestVerificationToken]").First.GetAttributeAsync("value");
        var response = await page.APIRequest.PostAsync($"/cases/{seeded.Id}?handler=Extend", new()
        {
            Form = context.APIRequest.CreateFormData().Set("__RequestVerificationToken", token!).Set("reason", "forged"),
            MaxRedirects = 0,
        });
        Assert.Equal(403, response.Status);

        // The console publishes an action while it answers the request: a refused one was never published.
        Assert.Empty(_cases.Published<ExtendDeadline>(e => e.CaseId == seeded.Id));
        Assert.Empty(extensions);
        await using var db = _cases.NewDbContext();
        var after = await db.Cases.AsNoTracking().SingleAsync(c => c.CorrelationId == seeded.Id);
        Assert.False(after.Extended);
        Assert.DoesNotContain(await db.AuditEntries.Where(a => a.CaseId == seeded.Id).ToListAsync(), a => a.Actor == ConsoleSignIn.Viewer.Name || a.Action == "extended");
    }

    [Fact]
    public async Task Sign_in_attempts_beyond_the_limit_per_minute_are_refused()
    {
        await using var limited = await servers.StartCasesAsync(
            _cases.Database, _vhost, options => options.Settings["Console:SignInPermitsPerMinute"] = "2");
        using var http = limited.CreateClient(new() { AllowAutoRedirect = false });

        var form = await http.GetStringAsync(new Uri("/signin", UriKind.Relative));
        var token = WebUtility.HtmlDecode(AntiforgeryField().Match(form).Groups["value"].Value);
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
        {
            using var content = new FormUrlEncodedContent(new Dictionary<string, string>
            {
                ["__RequestVerificationToken"] = token,
                ["userName"] = ConsoleSignIn.Dpo.Name,
                ["password"] = $"guess {i}",
            });
            using var response = await http.PostAsync(new Uri("/signin", UriKind.Relative), content);
            statuses.Add(response.StatusCode);
        }

        Assert.Equal([HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.TooManyRequests], statuses);
    }

    [Fact]
    public async Task The_dashboard_shows_the_time_to_close_and_the_failures_per_store()
    {
        var bus = _cases.Bus;
        var answered = await SeedAsync(daysAgo: 10);
        await bus.Publish(new CompleteRequest { CaseId = answered.Id, Actor = ConsoleSignIn.Dpo.Name, Note = "Copy of the data sent." });
        await _cases.WaitForStateAsync(answered.Id, CaseStates.Completed);

        var store = $"store-{Guid.NewGuid():N}"[..16];
        var failing = await SeedAsync(daysAgo: 2, DataSubjectRight.Erasure, CaseStates.Locating);
        await bus.Publish(new SubjectDataLocated
        {
            CaseId = failing.Id,
            Stores = [new StoreFindings { StoreId = store, RowsPerEntity = new Dictionary<string, int> { ["people"] = 2 } }],
        });
        await _cases.WaitForStateAsync(failing.Id, CaseStates.Executing);
        await bus.Publish(new StoreActionFailed { CaseId = failing.Id, StoreId = store, Action = StoreActionKind.Erase, Reason = "timeout", FailedAt = DateTimeOffset.UtcNow });
        await _cases.WaitForStateAsync(failing.Id, CaseStates.PartiallyCompleted);

        await using var context = await browser.NewContextAsync(_baseUrl);
        var page = await context.NewPageAsync();
        await SignInAsync(page, "/dashboard", ConsoleSignIn.Viewer);
        await Expect(page.GetByRole(AriaRole.Row, new() { Name = "Median days from receipt to close" })).ToContainTextAsync("10.0");
        await Expect(page.GetByRole(AriaRole.Row, new() { Name = "Closed before the internal target" })).ToContainTextAsync("100% (of 1 closed cases)");
        await Expect(page.GetByRole(AriaRole.Row, new() { Name = store })).ToContainTextAsync("1");
        await Expect(page.GetByRole(AriaRole.Row, new() { Name = "Overdue open cases" })).ToBeVisibleAsync();
    }

    private static async Task SignInAsync(IPage page, string path, ConsoleTestUser user)
    {
        await page.GotoAsync(path);
        Assert.Equal("/signin", new Uri(page.Url).AbsolutePath);
        await page.GetByLabel("User name").FillAsync(user.Name);
        await page.GetByLabel("Password").FillAsync(user.Password);
        await page.GetByLabel("Authentication code").FillAsync(user.Code());
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        // A polling assertion: WaitForURL can miss the load of a page reached through the sign-in's redirect.
        await Expect(page).ToHaveURLAsync(new Regex("^[^?]*" + Regex.Escape(path) + "$"));
    }

    /// <summary>A request received <paramref name="daysAgo"/> days ago and verified: a rectification request then awaits the DPO.</summary>
    private async Task<Seeded> SeedAsync(
        int daysAgo, DataSubjectRight right = DataSubjectRight.Rectification, string verifiedState = CaseStates.AwaitingDpoAction,
        Func<DsrReceived, DsrReceived>? change = null)
    {
        var bus = _cases.Bus;
        var id = Guid.NewGuid();
        var reference = $"DSR-T-{id.ToString("N")[..8].ToUpperInvariant()}";
        var email = $"console-{id:N}@example.com";
        var receivedAt = DateTimeOffset.UtcNow.AddDays(-daysAgo);
        var received = new DsrReceived
        {
            CaseId = id,
            Reference = reference,
            Right = right,
            Channel = IntakeChannel.WebForm,
            ReceivedAt = receivedAt,
            SealedRequesterEmail = servers.Seal(id, BusSeal.RequesterEmail, email),
        };
        await bus.Publish(change is null ? received : change(received));
        await _cases.WaitForStateAsync(id, CaseStates.AwaitingVerification);
        await bus.Publish(new IdentityVerified { CaseId = id, Method = "email-link", VerifiedAt = DateTimeOffset.UtcNow });
        await _cases.WaitForStateAsync(id, verifiedState);
        return new Seeded(id, reference, email, receivedAt);
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"(?<value>[^\"]+)\"")]
    private static partial Regex AntiforgeryField();

    private sealed record Seeded(Guid Id, string Reference, string Email, DateTimeOffset ReceivedAt);
}
