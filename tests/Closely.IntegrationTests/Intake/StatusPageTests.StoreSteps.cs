using System.Net.Http.Json;
using System.Text.Json;
using Closely.Contracts;
using Closely.IntegrationTests.Infrastructure;
using Microsoft.Playwright;

namespace Closely.IntegrationTests.Intake;

/// <summary>The status page's progress per system: every action (erasure, a legal hold and its end, restriction, lift).</summary>
public sealed partial class StatusPageTests
{
    [Fact]
    public async Task The_status_page_and_link_show_each_systems_step_with_its_action_and_a_legal_hold_without_personal_data()
    {
        var database = await PlatformDatabase.CreateAsync(servers, "status_page_stores");
        var vhost = await servers.CreateVirtualHostAsync("status-page-stores");
        await using var intake = await servers.StartPrivacyCentreAsync(database, vhost);
        var (id, statusLink) = await SubmitAsync(intake);
        await using var context = await browser.NewContextAsync(intake.BaseUrl);
        var page = await context.NewPageAsync();

        // The erasure is done; the CRM keeps an invoice under a legal hold, whose end has come and whose erasure runs.
        await intake.Bus.Publish(Change(id, 1, "Executing") with
        {
            Stores =
            [
                new StoreStatusView { StoreId = "hetzner-fsn1-crm", Action = "erase", Status = "Completed", HeldUntil = new DateOnly(2034, 3, 15) },
                new StoreStatusView { StoreId = "aws-euc1-analytics", Action = "erase", Status = "Completed" },
                new StoreStatusView { StoreId = "hetzner-fsn1-crm", Action = "erase-held", Status = "Failed", Reason = "store hetzner-fsn1-crm unreachable" },
            ],
        });
        await TestSettings.EventuallyAsync(async () =>
        {
            await page.GotoAsync(statusLink);
            return await page.Locator("#systems tbody tr").CountAsync() == 3;
        }, "the status page with three steps");

        var rows = page.Locator("#systems tbody tr");
        await Assertions.Expect(rows.Nth(0)).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(
            "hetzner-fsn1-crm\\s*Erasure\\s*done — some data is kept, restricted, as the law requires until 15 March 2034, then erased"));
        await Assertions.Expect(rows.Nth(1)).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("aws-euc1-analytics\\s*Erasure\\s*done\\s*$"));
        await Assertions.Expect(rows.Nth(2)).ToHaveTextAsync(new System.Text.RegularExpressions.Regex(
            "hetzner-fsn1-crm\\s*Erasure of the data kept under a legal obligation\\s*delayed; we are trying again\\s*$"));
        // The store's technical reason is for the DPO, not the page.
        Assert.DoesNotContain("unreachable", await page.ContentAsync(), StringComparison.Ordinal);
        await Accessibility.AssertAccessibleAsync(page, "the status page with its systems", "en");

        await page.GetByRole(AriaRole.Navigation, new() { Name = "Language" }).GetByRole(AriaRole.Link, new() { Name = "Deutsch" }).ClickAsync();
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Stand in jedem unserer Systeme" })).ToBeVisibleAsync();
        await Assertions.Expect(rows.Nth(0)).ToContainTextAsync("Löschung");
        await Assertions.Expect(rows.Nth(0)).ToContainTextAsync("bis 15. März 2034");
        await Assertions.Expect(rows.Nth(2)).ToContainTextAsync("verzögert; wir versuchen es erneut");

        // A restriction and its lift, per system; the link for an API client says the same.
        await intake.Bus.Publish(Change(id, 2, "Executing") with
        {
            Right = DataSubjectRight.Restriction,
            Stores =
            [
                new StoreStatusView { StoreId = "hetzner-hel1-outreach", Action = "restrict", Status = "Completed" },
                new StoreStatusView { StoreId = "hetzner-hel1-outreach", Action = "lift-restriction", Status = "Pending" },
            ],
        });
        await TestSettings.EventuallyAsync(async () =>
        {
            await page.GotoAsync(statusLink);
            return (await page.Locator("#systems").InnerTextAsync()).Contains("Lifting the restriction", StringComparison.Ordinal);
        }, "the restriction and its lift on the page");
        await Assertions.Expect(rows.Nth(0)).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("hetzner-hel1-outreach\\s*Restriction\\s*done\\s*$"));
        await Assertions.Expect(rows.Nth(1)).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("hetzner-hel1-outreach\\s*Lifting the restriction\\s*in progress\\s*$"));

        using var client = new HttpClient { BaseAddress = intake.BaseUrl };
        var json = await client.GetFromJsonAsync<JsonElement>(new Uri(statusLink, UriKind.Relative));
        var stores = json.GetProperty("stores").EnumerateArray().Select(s => $"{s.GetProperty("storeId").GetString()}/{s.GetProperty("action").GetString()}/{s.GetProperty("status").GetString()}");
        Assert.Equal(["hetzner-hel1-outreach/restrict/Completed", "hetzner-hel1-outreach/lift-restriction/Pending"], stores);

        // Nothing personal in the page or its address: the id, the token and the language only.
        Assert.Equal($"/requests/{id}/status", new Uri(page.Url).AbsolutePath);
        Assert.Matches("^\\?token=[^&]+&lang=en$", new Uri(page.Url).Query);
        Assert.DoesNotContain(Email, await page.ContentAsync(), StringComparison.OrdinalIgnoreCase);
    }
}
