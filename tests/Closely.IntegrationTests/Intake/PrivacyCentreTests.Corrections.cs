using Closely.BuildingBlocks.Privacy;
using Closely.Contracts;
using Closely.IntegrationTests.Infrastructure;
using Microsoft.Playwright;

namespace Closely.IntegrationTests.Intake;

// The form's structured corrections of a rectification (Art 16, ADR 29).
public sealed partial class PrivacyCentreTests
{
    [Fact]
    public async Task Structured_corrections_from_the_form_are_checked_readably_stored_encrypted_and_sealed_on_the_bus()
    {
        var database = await PlatformDatabase.CreateAsync(servers, "privacy_centre_corrections");
        var vhost = await servers.CreateVirtualHostAsync("privacy-centre-corrections");
        await using var intake = await servers.StartPrivacyCentreAsync(database, vhost);
        var received = await intake.RecordAsync<DsrReceived>();
        await using var context = await browser.NewContextAsync(intake.BaseUrl);
        var page = await context.NewPageAsync();

        // The same detail twice, and a value without its detail: each problem beside its input, what was entered kept.
        await page.GotoAsync("/");
        await page.GetByRole(AriaRole.Radio, new() { Name = "Rectification: correct data that is wrong" }).CheckAsync();
        var first = page.GetByRole(AriaRole.Group, new() { Name = "Correction 1" });
        var second = page.GetByRole(AriaRole.Group, new() { Name = "Correction 2" });
        var third = page.GetByRole(AriaRole.Group, new() { Name = "Correction 3" });
        await first.GetByLabel("Which detail").SelectOptionAsync(new SelectOptionValue { Label = "Job title" });
        await first.GetByLabel("What it says now").FillAsync("Sales Manager");
        await first.GetByLabel("What it should say").FillAsync("Head of Sales");
        await second.GetByLabel("Which detail").SelectOptionAsync(new SelectOptionValue { Label = "Job title" });
        await second.GetByLabel("What it should say").FillAsync("VP Sales");
        await third.GetByLabel("What it should say").FillAsync("Example AG");
        await FillSubjectAsync(page);
        await SendAsync(page);
        await AssertProblemAsync(page, "Correction-1-Field", "Give one correction per detail: this detail is corrected twice");
        await Assertions.Expect(page.Locator("#Correction-2-Field-error")).ToContainTextAsync("Choose which detail this correction is for");
        Assert.Equal("Sales Manager", await first.GetByLabel("What it says now").InputValueAsync());
        Assert.Equal("jobTitle", await second.GetByLabel("Which detail").InputValueAsync());

        // Corrected, without the description in words: accepted.
        await second.GetByLabel("Which detail").SelectOptionAsync(new SelectOptionValue { Label = "Company" });
        await second.GetByLabel("What it should say").FillAsync("Example AG");
        await third.GetByLabel("What it should say").FillAsync("");
        await SendAsync(page);
        await Assertions.Expect(page).ToHaveTitleAsync("We have received your request – Closely privacy centre");

        await TestSettings.EventuallyAsync(() => Task.FromResult(!received.IsEmpty), "DsrReceived");
        var message = Assert.Single(received);
        var corrections = SealedCorrections.Open(servers.Protector(), message.CaseId, SealedCorrections.Requested, message.SealedCorrections!);
        Assert.Equal([("jobTitle", "Sales Manager", "Head of Sales"), ("company", null, "Example AG")], corrections.Select(c => (c.Field, c.Current, c.Correction)));
        var row = Assert.Single(await intake.RawRowsAsync("requests"));
        Assert.DoesNotContain("Head of Sales", row, StringComparison.Ordinal);
        Assert.Contains("\"corrections_encrypted\":\"\\\\x", row, StringComparison.Ordinal);
    }
}
