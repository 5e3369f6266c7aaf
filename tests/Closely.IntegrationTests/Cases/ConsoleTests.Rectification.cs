using Closely.BuildingBlocks.Privacy;
using Closely.Cases.Saga;
using Closely.Contracts;
using Closely.IntegrationTests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Closely.IntegrationTests.Cases;

// The DPO's decisions on a rectification's corrections (Art 16) in the console.
public sealed partial class ConsoleTests
{
    [Fact]
    public async Task The_dpo_approves_a_correction_as_edited_and_must_give_the_reason_to_decline_the_other()
    {
        var decisions = await _cases.RecordAsync<DecideCorrections>();
        var seeded = await SeedAsync(daysAgo: 2, change: received => received with
        {
            SealedCorrections = SealedCorrections.Seal(_cases.Services.GetRequiredService<PersonalDataProtector>(), received.CaseId, SealedCorrections.Requested,
            [
                new FieldCorrection { Field = "jobTitle", Current = "Head of Data", Correction = "Chief Data Officer (CDO)" },
                new FieldCorrection { Field = "company", Correction = "Example AG" },
            ]),
        });
        await using var context = await browser.NewContextAsync(_baseUrl);
        var page = await context.NewPageAsync();
        await SignInAsync(page, $"/cases/{seeded.Id}", ConsoleSignIn.Dpo);

        var jobTitle = page.GetByRole(AriaRole.Group, new() { Name = "jobTitle" });
        var company = page.GetByRole(AriaRole.Group, new() { Name = "company" });
        await Expect(jobTitle.GetByLabel("Value the stores get")).ToHaveValueAsync("Chief Data Officer (CDO)");
        await jobTitle.GetByLabel("Approve", new() { Exact = true }).CheckAsync();
        await jobTitle.GetByLabel("Value the stores get").FillAsync("Chief Data Officer");
        await company.GetByLabel("Decline", new() { Exact = true }).CheckAsync();

        // A decline without its reason is refused: the requester must be told why.
        await page.GetByRole(AriaRole.Button, new() { Name = "Send the decisions" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("A reason for declining company is required");
        Assert.Empty(decisions);

        await company.GetByLabel("Decline", new() { Exact = true }).CheckAsync();
        await company.GetByLabel("Reason, if declined").FillAsync("The commercial register lists Example GmbH.");
        await jobTitle.GetByLabel("Approve", new() { Exact = true }).CheckAsync();
        await jobTitle.GetByLabel("Value the stores get").FillAsync("Chief Data Officer");
        await page.GetByRole(AriaRole.Button, new() { Name = "Send the decisions" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("The decisions were sent: 1 approved, 1 declined.");

        // The case applies them: the edited title goes to the stores (it now locates the subject), the company is a statement.
        var saga = await _cases.WaitForStateAsync(seeded.Id, CaseStates.Locating);
        Assert.Equal([("jobTitle", "Chief Data Officer")], saga.ApprovedCorrections.Select(c => (c.Field, c.Correction)));
        Assert.Contains("The commercial register lists Example GmbH.", Assert.Single(saga.Corrections, c => c.Decision == CorrectionDecision.Declined).Statement, StringComparison.Ordinal);
        var sent = Assert.Single(decisions);
        Assert.Equal(ConsoleSignIn.Dpo.Name, sent.Actor);
        Assert.NotNull(sent.SealedEdits);
    }
}
