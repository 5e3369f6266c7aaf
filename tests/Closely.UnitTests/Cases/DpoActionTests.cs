using Closely.BuildingBlocks.Privacy;
using Closely.Cases.Saga;
using Closely.Contracts;

namespace Closely.UnitTests.Cases;

/// <summary>The DPO's actions on a case: extension within the first month, refusal, withdrawal, store steps, and the audit trail they leave.</summary>
public sealed class DpoActionTests : IAsyncLifetime
{
    private CaseSagaHarness _h = null!;

    public async Task InitializeAsync() => _h = await CaseSagaHarness.StartAsync();

    public async Task DisposeAsync() => await _h.DisposeAsync();

    [Fact]
    public async Task An_extension_asked_for_on_the_last_day_of_the_first_month_is_granted_and_the_requester_told_why()
    {
        // Received 2 Nov 2026; the first month ends with 2 Dec 2026.
        var caseId = await _h.ReceiveAsync(DataSubjectRight.Rectification);
        _h.Clock.SetUtcNow(new DateTimeOffset(2026, 12, 2, 15, 0, 0, TimeSpan.Zero));

        await _h.PublishAsync(new ExtendDeadline { CaseId = caseId, Actor = "dpo", Reason = "Data in three archives must be reviewed." });

        var saga = _h.Saga.Sagas.Contains(caseId);
        Assert.True(saga.Extended);
        Assert.Equal(new DateOnly(2027, 2, 2), saga.DueOn);
        Assert.Equal("Data in three archives must be reviewed.", saga.ExtensionReason);
        var notice = Assert.Single(_h.Sent<SendNotification>(caseId, n => n.Template == "extension-notice"));
        Assert.Equal("jane.doe@example.com", notice.RecipientEmail(_h.Protector));
        Assert.Equal("Data in three archives must be reviewed.", notice.Values(_h.Protector)["reason"]);
        Assert.Equal("2027-02-02", notice.Values(_h.Protector)["dueAt"]);
        var entry = saga.PendingAudit[^1];
        Assert.Equal(("extended", "dpo"), (entry.Action, entry.Actor));
    }

    [Fact]
    public async Task An_extension_asked_for_once_the_first_month_has_ended_is_refused_with_the_reason_recorded()
    {
        var caseId = await _h.ReceiveAsync(DataSubjectRight.Rectification);
        _h.Clock.SetUtcNow(new DateTimeOffset(2026, 12, 3, 9, 0, 0, TimeSpan.Zero));

        await _h.PublishAsync(new ExtendDeadline { CaseId = caseId, Actor = "dpo", Reason = "Too late." });

        var saga = _h.Saga.Sagas.Contains(caseId);
        Assert.False(saga.Extended);
        Assert.Equal(new DateOnly(2026, 12, 2), saga.DueOn);
        Assert.Empty(_h.Sent<SendNotification>(caseId, n => n.Template == "extension-notice"));
        var entry = saga.PendingAudit[^1];
        Assert.Equal("extension-refused", entry.Action);
        Assert.Contains("2026-12-02", entry.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_case_is_extended_only_once()
    {
        var caseId = await _h.ReceiveAsync(DataSubjectRight.Rectification);
        await _h.PublishAsync(new ExtendDeadline { CaseId = caseId, Actor = "dpo", Reason = "Complex." });
        await _h.PublishAsync(new ExtendDeadline { CaseId = caseId, Actor = "dpo", Reason = "Complex." });

        Assert.Single(_h.Sent<SendNotification>(caseId, n => n.Template == "extension-notice"));
        Assert.Equal(new DateOnly(2027, 2, 2), _h.Saga.Sagas.Contains(caseId).DueOn);
    }

    [Fact]
    public async Task After_an_extension_the_reminders_and_the_escalation_follow_the_new_dates_once_each()
    {
        var caseId = await _h.ReceiveAsync(DataSubjectRight.Rectification);
        await _h.PublishAsync(new IdentityVerified { CaseId = caseId, Method = "email-link", VerifiedAt = CaseSagaHarness.Now });
        await _h.PublishAsync(new ExtendDeadline { CaseId = caseId, Actor = "dpo", Reason = "Complex." });
        var saga = _h.Saga.Sagas.Contains(caseId);

        foreach (var (kind, at) in new[]
        {
            (DeadlineKind.TargetReminder, saga.TargetAt - _h.Options.TargetReminderLead),
            (DeadlineKind.DueReminder, saga.DueAt - _h.Options.DueReminderLead),
            (DeadlineKind.Overdue, saga.DueAt),
        })
        {
            Assert.Equal((at, kind), (saga.NextDeadlineAt, saga.NextDeadlineKind));
            _h.Clock.SetUtcNow(at);
            await _h.PublishAsync(new DeadlineReached { CaseId = caseId, Kind = kind, DeadlineAt = at });
            await _h.PublishAsync(new DeadlineReached { CaseId = caseId, Kind = kind, DeadlineAt = at });
        }

        Assert.Equal(
            ["reminder", "reminder", "overdue"],
            saga.PendingAudit.Select(e => e.Action).Where(a => a is "reminder" or "overdue"));
        Assert.Single(_h.Sent<SendNotification>(caseId, n => n.Template == "dpo-overdue"));
        Assert.Null(saga.NextDeadlineAt);
    }

    [Fact]
    public async Task A_refusal_under_article_12_5_closes_the_case_and_tells_the_requester_of_the_right_to_complain()
    {
        var caseId = await _h.ReceiveAsync(DataSubjectRight.Rectification);

        await _h.PublishAsync(new RefuseRequest { CaseId = caseId, Actor = "dpo", Reason = "The fourth identical request this month." });

        var saga = await _h.WaitForStateAsync(caseId, _h.Machine.Refused);
        Assert.Null(saga.NextDeadlineAt);
        var notice = Assert.Single(_h.Sent<SendNotification>(caseId, n => n.Template == "refusal"));
        Assert.Equal("The fourth identical request this month.", notice.Values(_h.Protector)["reason"]);
    }

    [Fact]
    public async Task A_withdrawn_request_closes_and_later_actions_change_nothing()
    {
        var caseId = await _h.ReceiveAsync(DataSubjectRight.Rectification);
        await _h.PublishAsync(new WithdrawRequest { CaseId = caseId, Actor = "dpo", Reason = "The requester wrote that it is no longer needed." });
        var saga = await _h.WaitForStateAsync(caseId, _h.Machine.WithdrawnByRequester);
        var entries = saga.AuditCount;

        await _h.PublishAsync(new RefuseRequest { CaseId = caseId, Actor = "dpo", Reason = "Late." });
        await _h.PublishAsync(new ExtendDeadline { CaseId = caseId, Actor = "dpo", Reason = "Late." });

        Assert.Equal((_h.Machine.WithdrawnByRequester.Name, entries), (saga.CurrentState, saga.AuditCount));
        Assert.Single(_h.Sent<SendNotification>(caseId, n => n.Template == "withdrawn"));
    }

    [Fact]
    public async Task A_failed_store_is_retried_on_the_dpos_word_and_a_store_done_by_hand_completes_the_case()
    {
        var caseId = await _h.ReceiveAsync();
        await _h.PublishAsync(new IdentityVerified { CaseId = caseId, Method = "email-link", VerifiedAt = CaseSagaHarness.Now });
        await _h.PublishAsync(new SubjectDataLocated
        {
            CaseId = caseId,
            Stores =
            [
                new StoreFindings { StoreId = "crm", RowsPerEntity = new Dictionary<string, int> { ["people"] = 1 } },
                new StoreFindings { StoreId = "archive", RowsPerEntity = new Dictionary<string, int> { ["people"] = 1 } },
            ],
        });
        await _h.PublishAsync(new StoreActionCompleted { CaseId = caseId, StoreId = "crm", Action = StoreActionKind.Erase, RowsAffected = 1, CompletedAt = CaseSagaHarness.Now });
        await _h.PublishAsync(new StoreActionFailed { CaseId = caseId, StoreId = "archive", Action = StoreActionKind.Erase, Reason = "Connection refused.", FailedAt = CaseSagaHarness.Now });
        await _h.WaitForStateAsync(caseId, _h.Machine.PartiallyCompleted);

        await _h.PublishAsync(new RetryStore { CaseId = caseId, Actor = "dpo", StoreId = "archive" });
        await _h.WaitForStateAsync(caseId, _h.Machine.Executing);
        Assert.Equal(2, _h.Sent<ExecuteStoreAction>(caseId, a => a.StoreId == "archive").Count);

        await _h.PublishAsync(new MarkStoreDone { CaseId = caseId, Actor = "dpo", StoreId = "archive", Evidence = "Tape archive wiped by the operator, ticket OPS-1234." });

        var saga = await _h.WaitForStateAsync(caseId, _h.Machine.Completed);
        var archive = saga.Stores.Single(s => s.StoreId == "archive");
        Assert.Equal((StoreStatus.Completed, "Tape archive wiped by the operator, ticket OPS-1234."), (archive.Status, archive.ManualEvidence));
        Assert.Single(_h.Sent<SendNotification>(caseId, n => n.Template == "erasure-completed"));
    }

    [Fact]
    public async Task Every_step_records_one_numbered_entry_for_the_repository_to_chain_and_deliveries_are_recorded_once()
    {
        var caseId = await _h.ReceiveAsync(DataSubjectRight.Rectification);
        await _h.PublishAsync(new NotificationSent { CaseId = caseId, NotificationKey = "acknowledgement", SentAt = CaseSagaHarness.Now });
        await _h.PublishAsync(new NotificationSent { CaseId = caseId, NotificationKey = "acknowledgement", SentAt = CaseSagaHarness.Now });
        await _h.PublishAsync(new ExtendDeadline { CaseId = caseId, Actor = "dpo", Reason = "Complex." });
        await _h.PublishAsync(new RefuseRequest { CaseId = caseId, Actor = "dpo", Reason = "Repetitive." });

        var saga = _h.Saga.Sagas.Contains(caseId);
        var trail = saga.PendingAudit;
        Assert.Equal(["received", "notice-sent", "extended", "refused"], trail.Select(e => e.Action));
        Assert.Equal(Enumerable.Range(0, trail.Count), trail.Select(e => e.Sequence));
        Assert.Equal(["system", "system", "dpo", "dpo"], trail.Select(e => e.Actor));

        // The saga holds no key: the entries are chained when the repository saves the case (CaseAuditChain).
        Assert.Equal((trail.Count, CaseAudit.GenesisHash), (saga.AuditCount, saga.AuditHead));
        Assert.Equal(CaseSagaHarness.Now, saga.Notices.Single(n => n.Key == "acknowledgement").SentAt);
    }
}
