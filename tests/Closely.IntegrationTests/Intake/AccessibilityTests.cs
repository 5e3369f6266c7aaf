using System.Net;
using Closely.BuildingBlocks.Privacy;
using Closely.Contracts;
using Closely.Identity.Persistence;
using Closely.IntegrationTests.Infrastructure;
using Microsoft.Extensions.Time.Testing;
using Microsoft.Playwright;

namespace Closely.IntegrationTests.Intake;

/// <summary>
/// axe-core on every public page, in English and in German, in its ordinary and its error states: the privacy
/// centre's form, opt-out and confirmation pages, its error pages, and Identity's verification pages. A serious or
/// critical violation fails the test. (The status page at each stage is checked in <see cref="StatusPageTests"/>.)
/// </summary>
[Collection(PlatformServersCollection.Name)]
public sealed class AccessibilityTests(PlatformServers servers, Browser browser)
{
    /// <summary>Each language with the words the flows below click and fill.</summary>
    public static TheoryData<string> Languages() => ["en", "de"];

    private static readonly Dictionary<string, Dictionary<string, string>> Words = new()
    {
        ["en"] = new()
        {
            ["Send"] = "Send request",
            ["Agent"] = "Someone else, who has authorised me to act for them",
            ["Erasure"] = "Erasure: delete the data we hold about you",
            ["FullName"] = "Full name",
            ["Email"] = "Email address",
            ["OptOutSend"] = "Stop marketing emails",
            ["Confirm"] = "Confirm my request",
            ["Renew"] = "Send me a new link",
        },
        ["de"] = new()
        {
            ["Send"] = "Antrag senden",
            ["Agent"] = "Für eine andere Person, die mich dazu bevollmächtigt hat",
            ["Erasure"] = "Löschung: die Daten löschen, die wir über Sie gespeichert haben",
            ["FullName"] = "Vollständiger Name",
            ["Email"] = "E-Mail-Adresse",
            ["OptOutSend"] = "Werbe-E-Mails abbestellen",
            ["Confirm"] = "Antrag bestätigen",
            ["Renew"] = "Neuen Link senden",
        },
    };

    [Theory]
    [MemberData(nameof(Languages))]
    public async Task Every_privacy_centre_page_and_its_error_states_has_no_serious_or_critical_violation(string language)
    {
        var words = Words[language];
        var database = await PlatformDatabase.CreateAsync(servers, "a11y_centre_" + language);
        var vhost = await servers.CreateVirtualHostAsync("a11y-centre-" + language);
        await using var intake = await servers.StartPrivacyCentreAsync(database, vhost, permitsPerMinute: 8);
        await using var context = await browser.NewContextAsync(intake.BaseUrl);
        var page = await context.NewPageAsync();

        await page.GotoAsync($"/?lang={language}");
        await Accessibility.AssertAccessibleAsync(page, "the request form", language);

        await page.GetByRole(AriaRole.Button, new() { Name = words["Send"] }).ClickAsync();
        await Assertions.Expect(page.Locator("#error-summary")).ToBeFocusedAsync();
        await Accessibility.AssertAccessibleAsync(page, "the request form with every field missing", language);

        await page.GetByRole(AriaRole.Radio, new() { Name = words["Erasure"] }).CheckAsync();
        await page.GetByLabel(words["Agent"]).CheckAsync();
        await page.GetByLabel(words["FullName"], new() { Exact = true }).FillAsync("Grace Hopper");
        await page.GetByLabel(words["Email"], new() { Exact = true }).FillAsync("grace.hopper(at)example.org");
        await page.GetByRole(AriaRole.Button, new() { Name = words["Send"] }).ClickAsync();
        await Assertions.Expect(page.Locator("#Authority-error")).ToBeVisibleAsync();
        await Accessibility.AssertAccessibleAsync(page, "an agent's request form with a bad email and no authority", language);

        await page.GotoAsync("/");
        await page.GetByRole(AriaRole.Radio, new() { Name = words["Erasure"] }).CheckAsync();
        await page.GetByLabel(words["FullName"], new() { Exact = true }).FillAsync("Grace Hopper");
        await page.GetByLabel(words["Email"], new() { Exact = true }).FillAsync("grace.hopper@example.org");
        await page.GetByRole(AriaRole.Button, new() { Name = words["Send"] }).ClickAsync();
        await Assertions.Expect(page.Locator("#reference")).ToBeVisibleAsync();
        await Accessibility.AssertAccessibleAsync(page, "the confirmation", language);
        var received = new Uri(page.Url);

        await page.GotoAsync(received.AbsolutePath + "?token=wrong");
        await Accessibility.AssertAccessibleAsync(page, "the confirmation of an unknown request", language);
        await page.GotoAsync(received.AbsolutePath.Replace("/received", "/status", StringComparison.Ordinal) + "?token=wrong");
        await Accessibility.AssertAccessibleAsync(page, "the status page of an unknown request", language);
        await page.GotoAsync("/no-such-page");
        await Accessibility.AssertAccessibleAsync(page, "an address that leads nowhere", language);

        await page.GotoAsync("/opt-out");
        await Accessibility.AssertAccessibleAsync(page, "the opt-out page", language);
        await page.GetByLabel(words["Email"]).FillAsync("not an address");
        await page.GetByRole(AriaRole.Button, new() { Name = words["OptOutSend"] }).ClickAsync();
        await Assertions.Expect(page.Locator("#error-summary")).ToBeFocusedAsync();
        await Accessibility.AssertAccessibleAsync(page, "the opt-out page with a bad address", language);
        await page.GetByLabel(words["Email"]).FillAsync($"opt-out-{Guid.NewGuid():N}@example.org");
        await page.GetByRole(AriaRole.Button, new() { Name = words["OptOutSend"] }).ClickAsync();
        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("/opt-out/confirmed$"));
        await Accessibility.AssertAccessibleAsync(page, "the opt-out confirmation", language);

        // Over the form limit (8 a minute): the readable "too many" page.
        var limited = false;
        for (var sent = 0; sent < 10 && !limited; sent++)
        {
            await page.GotoAsync("/opt-out");
            var response = await page.RunAndWaitForResponseAsync(
                () => page.GetByRole(AriaRole.Button, new() { Name = words["OptOutSend"] }).ClickAsync(), r => r.Request.Method == "POST");
            limited = response.Status == (int)HttpStatusCode.TooManyRequests;
        }

        Assert.True(limited, "the form limit was never reached");
        await Accessibility.AssertAccessibleAsync(page, "the page over the form limit", language);
    }

    [Theory]
    [MemberData(nameof(Languages))]
    public async Task The_failure_page_has_no_serious_or_critical_violation(string language)
    {
        var vhost = await servers.CreateVirtualHostAsync("a11y-failure-" + language);
        await using var intake = await servers.StartPrivacyCentreAsync(
            "Host=127.0.0.1;Port=1;Database=closely;Username=closely;Password=unused;Timeout=2", vhost, waitUntilHealthy: false);
        await using var context = await browser.NewContextAsync(intake.BaseUrl);
        var page = await context.NewPageAsync();

        await page.GotoAsync($"/opt-out?lang={language}");
        await page.GetByLabel(Words[language]["Email"]).FillAsync("ada.lovelace@example.org");
        var response = await page.RunAndWaitForResponseAsync(
            () => page.GetByRole(AriaRole.Button, new() { Name = Words[language]["OptOutSend"] }).ClickAsync(), r => r.Request.Method == "POST");

        Assert.Equal((int)HttpStatusCode.InternalServerError, response.Status);
        await Accessibility.AssertAccessibleAsync(page, "the failure page", language);
    }

    [Theory]
    [MemberData(nameof(Languages))]
    public async Task Every_verification_page_has_no_serious_or_critical_violation(string language)
    {
        var words = Words[language];
        var database = await PlatformDatabase.CreateAsync(servers, "a11y_identity_" + language);
        var vhost = await servers.CreateVirtualHostAsync("a11y-identity-" + language);
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        var linkLifetime = TimeSpan.FromHours(72);
        await using var identity = await ServiceHost<IdentityDbContext>.StartAsync(servers, database, vhost, options =>
        {
            options.ServeOnLoopback = true;
            options.Clock = clock;
            options.Settings["Identity:LinkLifetime"] = linkLifetime.ToString();
            options.Settings["Identity:RateLimitPermits"] = "12";
        });
        // Notification is not running: the test's recorder is the only consumer of its queue.
        var notifications = await identity.RecordAsync<SendNotification>(CommandQueues.SendNotification);
        await using var context = await browser.NewContextAsync(identity.BaseUrl);
        var page = await context.NewPageAsync();
        var caseId = Guid.NewGuid();
        var command = new VerifyIdentity
        {
            CaseId = caseId,
            Reference = "DSR-2026-A11Y" + language.ToUpperInvariant(),
            SealedRequesterEmail = servers.Seal(caseId, BusSeal.RequesterEmail, "ada.lovelace@example.org"),
            Language = language,
        };
        await identity.SendAsync(CommandQueues.VerifyIdentity, command);
        await TestSettings.EventuallyAsync(() => Task.FromResult(notifications.Any(n => n.CaseId == command.CaseId)), "the verification link");
        var link = new Uri(notifications.Single(n => n.CaseId == command.CaseId).Values(servers.Protector())["link"]);

        await page.GotoAsync(link.PathAndQuery);
        await Accessibility.AssertAccessibleAsync(page, "the confirmation page", language);

        // A form whose antiforgery cookie is gone (another browser, a cleared session).
        await context.ClearCookiesAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = words["Confirm"] }).ClickAsync();
        await Accessibility.AssertAccessibleAsync(page, "the page of a form that expired", language);

        var token = System.Web.HttpUtility.ParseQueryString(link.Query)["token"]!;
        await page.GotoAsync($"{link.AbsolutePath}?token={token[..^1]}{(token[^1] == 'A' ? "B" : "A")}&lang={language}");
        await Accessibility.AssertAccessibleAsync(page, "the page of a link that is not valid", language);

        clock.Advance(linkLifetime + TimeSpan.FromMinutes(1));
        await page.GotoAsync(link.PathAndQuery);
        await Accessibility.AssertAccessibleAsync(page, "the page of an expired link", language);
        await page.GetByRole(AriaRole.Button, new() { Name = words["Renew"] }).ClickAsync();
        await Accessibility.AssertAccessibleAsync(page, "the page after a new link was sent", language);

        await TestSettings.EventuallyAsync(() => Task.FromResult(notifications.Count(n => n.CaseId == command.CaseId) == 2), "the new link");
        var renewed = new Uri(notifications.Single(n => n.CaseId == command.CaseId && n.Values(servers.Protector())["link"] != link.ToString()).Values(servers.Protector())["link"]).PathAndQuery;
        await page.GotoAsync(renewed);
        await page.GetByRole(AriaRole.Button, new() { Name = words["Confirm"] }).ClickAsync();
        await Accessibility.AssertAccessibleAsync(page, "the page of a confirmed request", language);
        await page.GotoAsync(renewed);
        await Accessibility.AssertAccessibleAsync(page, "the page of a link already used", language);

        // Over the per-address limit of the verification pages (12 a minute).
        var limited = false;
        for (var opened = 0; opened < 15 && !limited; opened++)
        {
            limited = (await page.GotoAsync(renewed))!.Status == (int)HttpStatusCode.TooManyRequests;
        }

        Assert.True(limited, "the rate limit was never reached");
        await Accessibility.AssertAccessibleAsync(page, "the page over the rate limit", language);
    }

    [Fact]
    public async Task The_check_fails_a_page_with_serious_or_critical_violations()
    {
        await using var context = await browser.NewContextAsync(new Uri("http://127.0.0.1/"));
        var page = await context.NewPageAsync();
        await page.SetContentAsync("<!DOCTYPE html><html><body><main><img src=\"x.png\"><a href=\"#\"></a></main></body></html>");

        var violations = await Accessibility.BlockingViolationsAsync(page);

        Assert.Contains(violations, v => v.StartsWith("- image-alt (critical)", StringComparison.Ordinal));
        Assert.Contains(violations, v => v.StartsWith("- html-has-lang (serious)", StringComparison.Ordinal));
        Assert.Contains(violations, v => v.StartsWith("- link-name (serious)", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_form_can_be_completed_with_the_keyboard_alone()
    {
        var database = await PlatformDatabase.CreateAsync(servers, "a11y_keyboard");
        var vhost = await servers.CreateVirtualHostAsync("a11y-keyboard");
        await using var intake = await servers.StartPrivacyCentreAsync(database, vhost);
        await using var context = await browser.NewContextAsync(intake.BaseUrl);
        var page = await context.NewPageAsync();
        await page.GotoAsync("/");

        // The first stop is the skip link; the language switch comes next and works from the keyboard.
        await page.Keyboard.PressAsync("Tab");
        await Assertions.Expect(page.GetByRole(AriaRole.Link, new() { Name = "Skip to main content" })).ToBeFocusedAsync();
        await TabToAsync(page, "a[hreflang=de]");
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page).ToHaveTitleAsync("Datenschutzantrag stellen – Closely Datenschutzcenter");

        // Sent empty: the error summary takes focus, and its first link leads to the field.
        await TabToAsync(page, "button[type=submit]");
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page.Locator("#error-summary")).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("Tab");
        await page.Keyboard.PressAsync("Enter");
        await Assertions.Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex("#Right-access$"));

        // A right chosen with the arrow keys, the fields typed, the form sent with Enter.
        await TabToAsync(page, "input[name=Right]");
        await page.Keyboard.PressAsync("ArrowDown");
        await page.Keyboard.PressAsync("ArrowDown");
        await Assertions.Expect(page.Locator("#Right-erasure")).ToBeCheckedAsync();
        await TabToAsync(page, "#SubjectFullName");
        await page.Keyboard.TypeAsync("Grace Hopper");
        await TabToAsync(page, "#SubjectEmail");
        await page.Keyboard.TypeAsync("grace.hopper@example.org");
        await TabToAsync(page, "button[type=submit]");
        await page.Keyboard.PressAsync("Enter");

        await Assertions.Expect(page).ToHaveTitleAsync("Ihr Antrag ist bei uns eingegangen – Closely Datenschutzcenter");
        await TabToAsync(page, "#status-link");
        Assert.EndsWith("&lang=de", await page.Locator("#status-link").GetAttributeAsync("href"), StringComparison.Ordinal);
    }

    /// <summary>Presses Tab until the element matching <paramref name="selector"/> has focus; fails if it is never reached.</summary>
    private static async Task TabToAsync(IPage page, string selector)
    {
        for (var presses = 0; presses < 60; presses++)
        {
            if (await page.EvaluateAsync<bool>("s => document.activeElement !== null && document.activeElement.matches(s)", selector))
            {
                return;
            }

            await page.Keyboard.PressAsync("Tab");
        }

        Assert.Fail($"Tab never reached {selector}");
    }
}
