using Closely.Cases.Saga;
using Closely.Contracts;

namespace Closely.UnitTests.Cases;

/// <summary>
/// An objection to other processing than direct marketing (Art 21(1)) arrives with the ground objection pending: it is
/// restricted in every store (Art 18(1)(d)) and flagged to the DPO until they lift it or keep it.
/// </summary>
public sealed class ObjectionRestrictionTests : IAsyncLifetime
{
    private CaseSagaHarness _h = null!;

    public async Task InitializeAsync() => _h = await CaseSagaHarness.StartAsync();

    public async Task DisposeAsync() => await _h.DisposeAsync();

    [Fact]
    public async Task An_objection_pending_is_restricted_in_the_stores_flagged_and_kept_by_the_dpo_with_a_reason()
    {
        var caseId = Guid.NewGuid();
        await _h.PublishAsync(_h.Received(caseId, DataSubjectRight.Objection) with { RestrictionGround = RestrictionGround.ObjectionPending });
        await _h.WaitForStateAsync(caseId, _h.Machine.AwaitingVerification);
        await _h.PublishAsync(new IdentityVerified { CaseId = caseId, Method = "email-link", VerifiedAt = CaseSagaHarness.Now });
        await _h.WaitForStateAsync(caseId, _h.Machine.Locating);
        await _h.PublishAsync(new SubjectDataLocated
        {
            CaseId = caseId,
            Stores = [new StoreFindings { StoreId = "crm", RowsPerEntity = new Dictionary<string, int> { ["people"] = 1 } }],
        });
        await _h.WaitForStateAsync(caseId, _h.Machine.Executing);
        var command = Assert.Single(_h.Sent<ExecuteStoreAction>(caseId));
        Assert.Equal((StoreActionKind.Restrict, RestrictionGround.ObjectionPending), (command.Action, command.Ground));
        await _h.PublishAsync(new StoreActionCompleted
        {
            CaseId = caseId, StoreId = "crm", Action = StoreActionKind.Restrict, RowsAffected = 1, CompletedAt = CaseSagaHarness.Now,
        });

        var completed = await _h.WaitForStateAsync(caseId, _h.Machine.Completed);
        Assert.StartsWith("Restricted under Art 18(1)(d)", completed.Outcome, StringComparison.Ordinal);
        Assert.Single(_h.Sent<SendNotification>(caseId, n => n.Template == "restriction-completed-objection-pending"));
        Assert.True(completed.AwaitsRestrictionDecision);

        // Keeping needs the flag: a second decision changes nothing.
        await _h.PublishAsync(new KeepRestriction { CaseId = caseId, Actor = "dana", Reason = "Weighing our grounds." });
        await _h.PublishAsync(new KeepRestriction { CaseId = caseId, Actor = "dana", Reason = "Again." });
        var kept = _h.Saga.Sagas.Contains(caseId);
        Assert.False(kept.AwaitsRestrictionDecision);
        Assert.Single(kept.PendingAudit, e => e.Action == "restriction-kept");
        Assert.True(kept.CanLiftRestriction);
    }

    [Fact]
    public async Task A_restriction_for_legal_claims_is_not_flagged_and_cannot_be_kept_by_decision()
    {
        var caseId = Guid.NewGuid();
        await _h.PublishAsync(_h.Received(caseId, DataSubjectRight.Restriction) with { RestrictionGround = RestrictionGround.LegalClaims });
        await _h.WaitForStateAsync(caseId, _h.Machine.AwaitingVerification);
        await _h.PublishAsync(new IdentityVerified { CaseId = caseId, Method = "email-link", VerifiedAt = CaseSagaHarness.Now });
        await _h.WaitForStateAsync(caseId, _h.Machine.Locating);
        await _h.PublishAsync(new SubjectDataLocated
        {
            CaseId = caseId,
            Stores = [new StoreFindings { StoreId = "crm", RowsPerEntity = new Dictionary<string, int> { ["people"] = 1 } }],
        });
        await _h.WaitForStateAsync(caseId, _h.Machine.Executing);
        await _h.PublishAsync(new StoreActionCompleted
        {
            CaseId = caseId, StoreId = "crm", Action = StoreActionKind.Restrict, RowsAffected = 1, CompletedAt = CaseSagaHarness.Now,
        });

        var completed = await _h.WaitForStateAsync(caseId, _h.Machine.Completed);
        Assert.False(completed.AwaitsRestrictionDecision);
        await _h.PublishAsync(new KeepRestriction { CaseId = caseId, Actor = "dana", Reason = "No." });
        Assert.Null(_h.Saga.Sagas.Contains(caseId).RestrictionKeptAt);
    }
}
