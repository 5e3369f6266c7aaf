using Closely.BuildingBlocks.Privacy;
using Closely.Cases.Saga;
using Closely.Contracts;

namespace Closely.UnitTests.Cases;

/// <summary>
/// A store that left rows alone because an identifier of the subject is shared there: the case does what is
/// certain in every store, then waits for the DPO with the reason (store, entity, kind) instead of completing.
/// </summary>
public sealed class AmbiguousMatchTests : IAsyncLifetime
{
    private static readonly AmbiguousIdentifier SharedPhone = new() { Entity = "people", Kind = "phone" };

    private CaseSagaHarness _h = null!;

    public async Task InitializeAsync() => _h = await CaseSagaHarness.StartAsync();

    public async Task DisposeAsync() => await _h.DisposeAsync();

    [Fact]
    public async Task A_store_result_with_an_ambiguous_identifier_sends_the_case_to_the_dpo_naming_store_entity_and_kind()
    {
        var caseId = await LocatedAsync(("crm", 2, []), ("analytics", 5, []));
        await _h.PublishAsync(Completed(caseId, "analytics", 5, []));
        await _h.PublishAsync(Completed(caseId, "crm", 2, [SharedPhone]));

        var saga = await _h.WaitForStateAsync(caseId, _h.Machine.AwaitingDpoAction);
        Assert.Null(saga.ClosedAt);
        Assert.All(saga.Stores, s => Assert.Equal(StoreStatus.Completed, s.Status));
        Assert.Equal("crm: people by phone", saga.AmbiguityReason);
        Assert.Empty(_h.Sent<SendNotification>(caseId, n => n.Template == "erasure-completed"));

        var notice = Assert.Single(_h.Sent<SendNotification>(caseId, n => n.NotificationKey == "ambiguous-match"));
        Assert.Equal((_h.Options.DpoEmail, "dpo-action-needed"), (notice.RecipientEmail(_h.Protector), notice.Template));
        Assert.Contains("crm: people by phone", notice.Values(_h.Protector)["action"], StringComparison.Ordinal);
        var entry = Assert.Single(saga.PendingAudit, e => e.Action == "ambiguous-match");
        Assert.Contains("crm: people by phone", entry.Detail, StringComparison.Ordinal);

        // The DPO decides about the rows left alone and completes the request.
        await _h.PublishAsync(new CompleteRequest { CaseId = caseId, Actor = "dpo", Note = "The other record belongs to a colleague; left as it is." });
        await _h.WaitForStateAsync(caseId, _h.Machine.Completed);
        Assert.Single(_h.Sent<SendNotification>(caseId, n => n.Template == "request-completed"));
    }

    [Fact]
    public async Task Ambiguity_found_while_locating_is_kept_until_the_stores_own_result_says_what_was_left_alone()
    {
        var caseId = await LocatedAsync(("crm", 2, [SharedPhone]), ("empty", 0, [new AmbiguousIdentifier { Entity = "contacts", Kind = "linkedin" }]));
        var executing = await _h.WaitForStateAsync(caseId, _h.Machine.Executing);
        Assert.Equal(["crm", "empty"], executing.Stores.Select(s => s.StoreId));
        Assert.Equal("crm: people by phone; empty: contacts by linkedin", executing.AmbiguityReason);
        Assert.Equal(2, _h.Sent<ExecuteStoreAction>(caseId).Count);

        // By the time of the action the other record is gone in "empty": nothing left alone there any more.
        await _h.PublishAsync(Completed(caseId, "empty", 0, []));
        await _h.PublishAsync(Completed(caseId, "crm", 2, [SharedPhone]));

        var saga = await _h.WaitForStateAsync(caseId, _h.Machine.AwaitingDpoAction);
        Assert.Equal("crm: people by phone", saga.AmbiguityReason);
    }

    [Fact]
    public async Task Without_ambiguity_the_case_completes_as_before()
    {
        var caseId = await LocatedAsync(("crm", 2, []));
        await _h.PublishAsync(Completed(caseId, "crm", 2, []));

        await _h.WaitForStateAsync(caseId, _h.Machine.Completed);
        Assert.Empty(_h.Sent<SendNotification>(caseId, n => n.NotificationKey == "ambiguous-match"));
    }

    [Fact]
    public async Task A_restriction_with_an_ambiguous_identifier_completes_with_its_notice_and_the_dpo_is_told_what_was_left_alone()
    {
        var caseId = Guid.NewGuid();
        await _h.PublishAsync(_h.Received(caseId, DataSubjectRight.Restriction) with { RestrictionGround = RestrictionGround.LegalClaims });
        await _h.WaitForStateAsync(caseId, _h.Machine.AwaitingVerification);
        await _h.PublishAsync(new IdentityVerified { CaseId = caseId, Method = "email-link", VerifiedAt = CaseSagaHarness.Now });
        await _h.WaitForStateAsync(caseId, _h.Machine.Locating);
        await _h.PublishAsync(new SubjectDataLocated
        {
            CaseId = caseId,
            Stores = [new StoreFindings { StoreId = "crm", RowsPerEntity = new Dictionary<string, int> { ["people"] = 2 }, Ambiguous = [SharedPhone] }],
        });
        await _h.WaitForStateAsync(caseId, _h.Machine.Executing);
        await _h.PublishAsync(Completed(caseId, "crm", 2, [SharedPhone]) with { Action = StoreActionKind.Restrict });

        var saga = await _h.WaitForStateAsync(caseId, _h.Machine.Completed);
        Assert.Single(_h.Sent<SendNotification>(caseId, n => n.Template == "restriction-completed-legal-claims"));
        var notice = Assert.Single(_h.Sent<SendNotification>(caseId, n => n.NotificationKey == "ambiguous-match"));
        Assert.Contains("crm: people by phone", notice.Values(_h.Protector)["action"], StringComparison.Ordinal);
        Assert.Contains(saga.PendingAudit, e => e.Action == "ambiguous-match");
    }

    private async Task<Guid> LocatedAsync(params (string Store, int Rows, AmbiguousIdentifier[] Ambiguous)[] stores)
    {
        var caseId = await _h.ReceiveAsync();
        await _h.PublishAsync(new IdentityVerified { CaseId = caseId, Method = "email-link", VerifiedAt = CaseSagaHarness.Now });
        await _h.WaitForStateAsync(caseId, _h.Machine.Locating);
        await _h.PublishAsync(new SubjectDataLocated
        {
            CaseId = caseId,
            Stores = stores.Select(s => new StoreFindings
            {
                StoreId = s.Store,
                RowsPerEntity = new Dictionary<string, int> { ["people"] = s.Rows },
                Ambiguous = s.Ambiguous,
            }).ToList(),
        });
        return caseId;
    }

    private static StoreActionCompleted Completed(Guid caseId, string store, int rows, AmbiguousIdentifier[] ambiguous) => new()
    {
        CaseId = caseId, StoreId = store, Action = StoreActionKind.Erase, RowsAffected = rows, CompletedAt = CaseSagaHarness.Now, Ambiguous = ambiguous,
    };
}
