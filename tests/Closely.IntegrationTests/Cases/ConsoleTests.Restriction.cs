using Closely.BuildingBlocks.Privacy;
using Closely.Cases.Saga;
using Closely.Contracts;
using Closely.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Closely.IntegrationTests.Cases;

/// <summary>Restrictions in the console: the flag on 18(1)(a) and (d) until the DPO decides, keeping and lifting one.</summary>
public sealed partial class ConsoleTests
{
    [Fact]
    public async Task A_restriction_under_accuracy_contested_is_flagged_in_the_list_and_on_its_page_until_the_dpo_keeps_it_with_a_reason()
    {
        var contested = await SeedRestrictionAsync(RestrictionGround.AccuracyContested);
        var legalClaims = await SeedRestrictionAsync(RestrictionGround.LegalClaims);
        await using var context = await browser.NewContextAsync(_baseUrl);
        var page = await context.NewPageAsync();
        await SignInAsync(page, "/cases", ConsoleSignIn.Dpo);

        // Flagged in the list: the contested restriction, not the one for legal claims, which has no check to wait for.
        await Expect(page.GetByRole(AriaRole.Row, new() { Name = contested.Reference })).ToContainTextAsync("restriction: decision due");
        await Expect(page.GetByRole(AriaRole.Row, new() { Name = legalClaims.Reference })).Not.ToContainTextAsync("decision due");
        await page.GetByRole(AriaRole.Link, new() { Name = "Restrictions awaiting your decision" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = contested.Reference })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = legalClaims.Reference })).ToHaveCountAsync(0);

        // On its page, with the ground; the DPO keeps it with a reason.
        await page.GetByRole(AriaRole.Link, new() { Name = contested.Reference }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Note)).ToContainTextAsync("Art 18(1)(a) (accuracy-contested)");
        const string Reason = "We are still checking the job title with the client who contributed it.";
        await page.GetByLabel("Why the restriction stays").FillAsync(Reason);
        await page.GetByRole(AriaRole.Button, new() { Name = "Keep the restriction" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("The decision to keep the restriction was sent");
        var kept = await _cases.WaitUntilAsync(contested.Id, c => c.RestrictionKeptAt is not null, "the restriction kept");
        Assert.False(kept.AwaitsRestrictionDecision);
        await using (var db = _cases.NewDbContext())
        {
            Assert.Contains(await db.AuditEntries.Where(a => a.CaseId == contested.Id).ToListAsync(),
                a => a.Action == "restriction-kept" && a.Actor == ConsoleSignIn.Dpo.Name && a.Detail.Contains(Reason, StringComparison.Ordinal));
        }

        // The flag is gone; the restriction stays and may still be lifted.
        await page.ReloadAsync();
        await Expect(page.GetByRole(AriaRole.Note)).ToHaveCountAsync(0);
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Keep the restriction" })).ToHaveCountAsync(0);
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Lift the restriction" })).ToBeVisibleAsync();
        await page.GotoAsync("/cases");
        await Expect(page.GetByRole(AriaRole.Row, new() { Name = contested.Reference })).Not.ToContainTextAsync("decision due");
    }

    [Fact]
    public async Task The_dpo_lifts_a_flagged_restriction_with_a_reason_the_requester_is_told_first_and_the_stores_then_lift_it()
    {
        var objection = await SeedRestrictionAsync(RestrictionGround.ObjectionPending);
        await using var context = await browser.NewContextAsync(_baseUrl);
        var page = await context.NewPageAsync();
        await SignInAsync(page, $"/cases/{objection.Id}", ConsoleSignIn.Dpo);
        await Expect(page.GetByRole(AriaRole.Note)).ToContainTextAsync("Art 18(1)(d) (objection-pending)");

        // A lift without a reason is refused by the browser's form; with one it is sent.
        await page.GetByRole(AriaRole.Button, new() { Name = "Lift the restriction" }).ClickAsync();
        Assert.Equal(CaseStates.Completed, (await _cases.CaseAsync(objection.Id))!.CurrentState);
        const string Reason = "Our legitimate grounds do not override your interests; we stop the processing you objected to.";
        await page.GetByLabel("Why the restriction ends").FillAsync(Reason);
        await page.GetByRole(AriaRole.Button, new() { Name = "Lift the restriction" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("The lift was sent");

        // The requester's notice goes out with the reason; only then does the store get its lift step.
        var lifting = await _cases.WaitForStateAsync(objection.Id, CaseStates.Executing);
        var notice = await MailDev.MailToAsync(objection.Email, m => m.Text.Contains(Reason, StringComparison.Ordinal), "the lift notice with its reason");
        Assert.Contains(objection.Reference, notice.Subject, StringComparison.Ordinal);
        var step = Assert.Single(lifting.Stores, s => s.Action == StoreActionKind.LiftRestriction);
        Assert.Equal(StoreStatus.Pending, step.Status);
        await _cases.Bus.Publish(new StoreActionCompleted
        {
            CaseId = objection.Id, StoreId = step.StoreId, Action = StoreActionKind.LiftRestriction, RowsAffected = 2, CompletedAt = DateTimeOffset.UtcNow,
        });
        var lifted = await _cases.WaitUntilAsync(objection.Id, c => c.CurrentState == CaseStates.Completed && c.RestrictionLifted, "the lift done");
        Assert.Equal($"Restriction lifted: {Reason}", lifted.Outcome);
        Assert.False(lifted.AwaitsRestrictionDecision);

        await page.ReloadAsync();
        await Expect(page.GetByRole(AriaRole.Note)).ToHaveCountAsync(0);
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Lift the restriction" })).ToHaveCountAsync(0);
    }

    /// <summary>A verified restriction with its ground, carried out in one store: the case is completed.</summary>
    private async Task<Seeded> SeedRestrictionAsync(RestrictionGround ground)
    {
        var bus = _cases.Bus;
        var id = Guid.NewGuid();
        var reference = $"DSR-R-{id.ToString("N")[..8].ToUpperInvariant()}";
        var email = $"restricted-{id:N}@example.com";
        var receivedAt = DateTimeOffset.UtcNow.AddDays(-2);
        await bus.Publish(new DsrReceived
        {
            CaseId = id,
            Reference = reference,
            Right = DataSubjectRight.Restriction,
            Channel = IntakeChannel.WebForm,
            ReceivedAt = receivedAt,
            SealedRequesterEmail = servers.Seal(id, BusSeal.RequesterEmail, email),
            RestrictionGround = ground,
        });
        await _cases.WaitForStateAsync(id, CaseStates.AwaitingVerification);
        await bus.Publish(new IdentityVerified { CaseId = id, Method = "email-link", VerifiedAt = DateTimeOffset.UtcNow });
        await _cases.WaitForStateAsync(id, CaseStates.Locating);
        await bus.Publish(new SubjectDataLocated
        {
            CaseId = id,
            Stores = [new StoreFindings { StoreId = "hetzner-fsn1-crm", RowsPerEntity = new Dictionary<string, int> { ["people"] = 2 } }],
        });
        await _cases.WaitForStateAsync(id, CaseStates.Executing);
        await bus.Publish(new StoreActionCompleted
        {
            CaseId = id, StoreId = "hetzner-fsn1-crm", Action = StoreActionKind.Restrict, RowsAffected = 2, CompletedAt = DateTimeOffset.UtcNow,
        });
        await _cases.WaitForStateAsync(id, CaseStates.Completed);
        return new Seeded(id, reference, email, receivedAt);
    }
}
