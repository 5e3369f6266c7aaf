using Closely.Cases.Saga;
using Closely.Contracts;

namespace Closely.UnitTests.Cases;

/// <summary>
/// A completed erasure that kept rows under legal holds (ADR 28) wakes on the day a store's hold ends and has that store
/// erase them (ADR 31); a store whose hold has not ended waits for its own day.
/// </summary>
public sealed class LegalHoldEndTests : IAsyncLifetime
{
    private CaseSagaHarness _h = null!;

    public async Task InitializeAsync() => _h = await CaseSagaHarness.StartAsync();

    public async Task DisposeAsync() => await _h.DisposeAsync();

    [Fact]
    public async Task Each_store_erases_its_held_rows_once_its_hold_has_ended_and_the_case_completes_again_with_its_notice()
    {
        var caseId = await _h.ReceiveAsync();
        await _h.PublishAsync(new IdentityVerified { CaseId = caseId, Method = "email-link", VerifiedAt = CaseSagaHarness.Now });
        await _h.WaitForStateAsync(caseId, _h.Machine.Locating);
        await _h.PublishAsync(new SubjectDataLocated
        {
            CaseId = caseId,
            Stores = [Findings("crm"), Findings("erp"), Findings("analytics")],
        });
        await _h.WaitForStateAsync(caseId, _h.Machine.Executing);
        await _h.PublishAsync(Done(caseId, "crm", StoreActionKind.Erase, Held("invoices", 2034, 3, 15), Held("contracts", 2033, 1, 2)));
        await _h.PublishAsync(Done(caseId, "erp", StoreActionKind.Erase, Held("orders", 2036, 6, 30)));
        await _h.PublishAsync(Done(caseId, "analytics", StoreActionKind.Erase));

        // Completed, with its wake-up on the day the CRM's last hold ends (the earlier of the two stores).
        var completed = await _h.WaitForStateAsync(caseId, _h.Machine.Completed);
        Assert.Equal((DeadlineKind.HoldEnded, At(2034, 3, 15)), (completed.NextDeadlineKind, completed.NextDeadlineAt));

        // A deadline fired early (e.g. twice) changes nothing.
        _h.Clock.SetUtcNow(At(2034, 3, 14));
        await _h.PublishAsync(new DeadlineReached { CaseId = caseId, Kind = DeadlineKind.HoldEnded, DeadlineAt = At(2034, 3, 14) });
        Assert.Empty(_h.Sent<ExecuteStoreAction>(caseId, m => m.Action == StoreActionKind.EraseHeld));

        _h.Clock.SetUtcNow(At(2034, 3, 15));
        await _h.PublishAsync(new DeadlineReached { CaseId = caseId, Kind = DeadlineKind.HoldEnded, DeadlineAt = At(2034, 3, 15) });
        var executing = await _h.WaitForStateAsync(caseId, _h.Machine.Executing);
        var command = Assert.Single(_h.Sent<ExecuteStoreAction>(caseId, m => m.Action == StoreActionKind.EraseHeld));
        Assert.Equal("crm", command.StoreId);
        var step = Assert.Single(executing.Stores, s => s.Action == StoreActionKind.EraseHeld);
        Assert.Equal(("crm", 2, StoreStatus.Pending), (step.StoreId, step.RowsFound, step.Status));
        Assert.Equal(DeadlineKind.StepTimeout, executing.NextDeadlineKind);
        Assert.Contains(executing.PendingAudit, e => e.Action == "hold-ended" && e.Detail.Contains("crm (held until 2034-03-15)", StringComparison.Ordinal));

        await _h.PublishAsync(Done(caseId, "crm", StoreActionKind.EraseHeld) with { RowsAffected = 2 });
        var afterCrm = await _h.WaitForStateAsync(caseId, _h.Machine.Completed);
        Assert.Equal((DeadlineKind.HoldEnded, At(2036, 6, 30)), (afterCrm.NextDeadlineKind, afterCrm.NextDeadlineAt));
        Assert.Single(_h.Sent<SendNotification>(caseId, n => n.Template == "held-data-erased"));
        Assert.Contains(afterCrm.PendingAudit, e => e.Action == "held-data-erased");

        _h.Clock.SetUtcNow(At(2036, 7, 1));
        await _h.PublishAsync(new DeadlineReached { CaseId = caseId, Kind = DeadlineKind.HoldEnded, DeadlineAt = At(2036, 6, 30) });
        await _h.WaitForStateAsync(caseId, _h.Machine.Executing);
        Assert.Equal(["crm", "erp"], _h.Sent<ExecuteStoreAction>(caseId, m => m.Action == StoreActionKind.EraseHeld).Select(m => m.StoreId));
        await _h.PublishAsync(Done(caseId, "erp", StoreActionKind.EraseHeld) with { RowsAffected = 1 });
        var done = await _h.WaitForStateAsync(caseId, _h.Machine.Completed);
        Assert.Null(done.NextDeadlineAt);
        Assert.Equal(2, _h.Sent<SendNotification>(caseId, n => n.Template == "held-data-erased").Count);
        Assert.Empty(_h.Sent<SendNotification>(caseId, n => n.Template.StartsWith("dpo-", StringComparison.Ordinal)));
    }

    private static DateTimeOffset At(int year, int month, int day) => new(year, month, day, 0, 0, 0, TimeSpan.Zero);

    private static StoreFindings Findings(string store) => new() { StoreId = store, RowsPerEntity = new Dictionary<string, int> { ["people"] = 3 } };

    private static HeldData Held(string entity, int year, int month, int day) =>
        new() { Entity = entity, Rows = 1, LegalBasis = "German commercial and tax law", HoldEndsOn = new DateOnly(year, month, day) };

    private static StoreActionCompleted Done(Guid caseId, string store, StoreActionKind action, params HeldData[] held) => new()
    {
        CaseId = caseId, StoreId = store, Action = action, RowsAffected = 3, CompletedAt = CaseSagaHarness.Now, Held = held,
    };
}
