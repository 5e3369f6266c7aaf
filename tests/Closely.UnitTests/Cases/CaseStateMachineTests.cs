using Closely.BuildingBlocks.Privacy;
using Closely.Cases.Saga;
using Closely.Contracts;

namespace Closely.UnitTests.Cases;

public sealed class CaseStateMachineTests : IAsyncLifetime
{
    private CaseSagaHarness _h = null!;

    public async Task InitializeAsync() => _h = await CaseSagaHarness.StartAsync();

    public async Task DisposeAsync() => await _h.DisposeAsync();

    [Fact]
    public async Task A_received_request_awaits_verification_with_its_statutory_due_date_and_is_acknowledged()
    {
        var caseId = await _h.ReceiveAsync();

        var saga = await _h.WaitForStateAsync(caseId, _h.Machine.AwaitingVerification);
        // Received Monday 2 Nov 2026: due at the end of Wednesday 2 Dec 2026, Berlin time.
        Assert.Equal(new DateTimeOffset(2026, 12, 2, 23, 0, 0, TimeSpan.Zero), saga.DueAt);
        Assert.Equal((new DateOnly(2026, 11, 2), new DateOnly(2026, 12, 2)), (saga.ReceivedOn, saga.DueOn));
        Assert.True(saga.TargetAt < saga.DueAt);
        Assert.Equal("jane.doe@example.com", saga.RequesterEmail);

        var verify = Assert.Single(_h.Sent<VerifyIdentity>(caseId));
        Assert.Equal("jane.doe@example.com", verify.RequesterEmail(_h.Protector));
        var ack = Assert.Single(_h.Sent<SendNotification>(caseId));
        Assert.Equal("acknowledgement", ack.Template);
        Assert.Equal("2026-12-02", ack.Values(_h.Protector)["dueAt"]);
        Assert.Equal("2026-11-02", ack.Values(_h.Protector)["receivedAt"]);
        Assert.Equal(saga.TargetOn.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), ack.Values(_h.Protector)["targetAt"]);
    }

    [Fact]
    public async Task Every_change_is_published_for_read_models_without_personal_data()
    {
        var caseId = await LocatedAsync(("a", 1));

        var changes = _h.Harness.Published.Select<CaseStatusChanged>().Select(m => m.Context.Message).Where(m => m.CaseId == caseId).ToList();
        Assert.Equal(["AwaitingVerification", "Locating", "Executing"], changes.Select(c => c.State));
        Assert.Equal("Pending", Assert.Single(changes[^1].Stores).Status);
        Assert.Equal(new DateOnly(2026, 12, 2), changes[^1].DueOn);
        Assert.DoesNotContain("jane", System.Text.Json.JsonSerializer.Serialize(changes), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task The_same_request_received_twice_is_one_case_verified_once()
    {
        var caseId = await _h.ReceiveAsync();
        await _h.PublishAsync(_h.Received(caseId));

        Assert.Single(_h.Sent<VerifyIdentity>(caseId));
        Assert.Single(_h.Saga.Sagas.Select(s => s.CorrelationId == caseId));
    }

    [Fact]
    public async Task A_verified_erasure_request_moves_to_locating_the_subject()
    {
        var caseId = await _h.ReceiveAsync();
        await _h.PublishAsync(Verified(caseId));

        await _h.WaitForStateAsync(caseId, _h.Machine.Locating);
        var locate = Assert.Single(_h.Sent<LocateSubjectData>(caseId));
        Assert.Equal("jane.doe@example.com", locate.SubjectEmail(_h.Protector));
    }

    [Fact]
    public async Task A_verified_rectification_request_waits_for_the_dpo()
    {
        var caseId = await _h.ReceiveAsync(DataSubjectRight.Rectification);
        await _h.PublishAsync(Verified(caseId));

        await _h.WaitForStateAsync(caseId, _h.Machine.AwaitingDpoAction);
        Assert.Empty(_h.Sent<LocateSubjectData>(caseId));
    }

    [Fact]
    public async Task A_rejected_identity_closes_the_case_and_tells_the_requester_why()
    {
        var caseId = await _h.ReceiveAsync();
        await _h.PublishAsync(new IdentityRejected { CaseId = caseId, Reason = "Link expired twice.", RejectedAt = CaseSagaHarness.Now });

        var saga = await _h.WaitForStateAsync(caseId, _h.Machine.Rejected);
        Assert.Equal("Link expired twice.", saga.Outcome);
        Assert.Null(saga.NextDeadlineAt);
        Assert.Single(_h.Sent<SendNotification>(caseId, n => n.Template == "identity-rejected"));
    }

    [Fact]
    public async Task Located_data_is_erased_only_in_the_stores_that_hold_it()
    {
        var caseId = await LocatedAsync(("hetzner-fsn1-crm", 3), ("aws-euc1-analytics", 0), ("hetzner-hel1-outreach", 5));

        var saga = await _h.WaitForStateAsync(caseId, _h.Machine.Executing);
        Assert.Equal(["hetzner-fsn1-crm", "hetzner-hel1-outreach"], saga.Stores.Select(s => s.StoreId));
        var actions = _h.Sent<ExecuteStoreAction>(caseId);
        Assert.Equal(["hetzner-fsn1-crm", "hetzner-hel1-outreach"], actions.Select(a => a.StoreId).Order());
        Assert.All(actions, a => Assert.Equal(StoreActionKind.Erase, a.Action));
    }

    [Fact]
    public async Task A_store_that_could_not_be_searched_still_gets_the_action()
    {
        var caseId = await _h.ReceiveAsync();
        await _h.PublishAsync(Verified(caseId));
        await _h.WaitForStateAsync(caseId, _h.Machine.Locating);
        await _h.PublishAsync(new SubjectDataLocated
        {
            CaseId = caseId,
            Stores =
            [
                new StoreFindings { StoreId = "down", RowsPerEntity = new Dictionary<string, int>(), Reachable = false, Problem = "store down could not be searched" },
                new StoreFindings { StoreId = "empty", RowsPerEntity = new Dictionary<string, int> { ["people"] = 0 } },
            ],
        });

        var saga = await _h.WaitForStateAsync(caseId, _h.Machine.Executing);
        Assert.Equal("store down could not be searched", Assert.Single(saga.Stores).Reason);
        Assert.Equal("down", Assert.Single(_h.Sent<ExecuteStoreAction>(caseId)).StoreId);
    }

    [Fact]
    public async Task A_subject_found_nowhere_completes_at_once()
    {
        var caseId = await LocatedAsync(("hetzner-fsn1-crm", 0));

        var saga = await _h.WaitForStateAsync(caseId, _h.Machine.Completed);
        Assert.Equal((CaseSagaHarness.Now, "No data about the subject was found in any store."), (saga.ClosedAt, saga.Outcome));
        Assert.Single(_h.Sent<SendNotification>(caseId, n => n.Template == "erasure-completed"));
    }

    [Fact]
    public async Task Every_store_erased_completes_the_case_and_tells_the_requester_once()
    {
        var caseId = await LocatedAsync(("a", 1), ("b", 2));
        await _h.PublishAsync(Completed(caseId, "a", 1));
        await _h.PublishAsync(Completed(caseId, "b", 2));
        await _h.PublishAsync(Completed(caseId, "b", 2));

        var saga = await _h.WaitForStateAsync(caseId, _h.Machine.Completed);
        Assert.All(saga.Stores, s => Assert.Equal(StoreStatus.Completed, s.Status));
        Assert.Single(_h.Sent<SendNotification>(caseId, n => n.Template == "erasure-completed"));
    }

    [Fact]
    public async Task A_failing_store_leaves_the_case_partially_completed_until_a_retry_succeeds()
    {
        var caseId = await LocatedAsync(("a", 1), ("b", 2));
        await _h.PublishAsync(Completed(caseId, "a", 1));
        await _h.PublishAsync(new StoreActionFailed
        {
            CaseId = caseId, StoreId = "b", Action = StoreActionKind.Erase, Reason = "Store unreachable", FailedAt = CaseSagaHarness.Now,
        });

        var partial = await _h.WaitForStateAsync(caseId, _h.Machine.PartiallyCompleted);
        var failed = partial.Stores.Single(s => s.StoreId == "b");
        Assert.Equal(StoreStatus.Failed, failed.Status);
        Assert.Equal("Store unreachable", failed.Reason);
        Assert.Single(_h.Sent<SendNotification>(caseId, n => n.Template == "dpo-partially-completed"));

        // The retry interval passes: the failed store, and only it, is tried again.
        _h.Clock.Advance(_h.Options.FailedStoreRetryInterval);
        await _h.PublishAsync(Deadline(caseId, DeadlineKind.StepTimeout));
        var retries = _h.Sent<ExecuteStoreAction>(caseId, a => a.StoreId == "b");
        Assert.Equal(2, retries.Count);
        Assert.Single(_h.Sent<ExecuteStoreAction>(caseId, a => a.StoreId == "a"));

        await _h.PublishAsync(Completed(caseId, "b", 2));
        await _h.WaitForStateAsync(caseId, _h.Machine.Completed);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task The_last_store_to_answer_settles_a_partial_completion_with_the_dpo_told_and_a_fresh_step_whichever_fails(bool failureFirst)
    {
        var caseId = await LocatedAsync(("a", 1), ("b", 2));
        if (failureFirst)
        {
            await _h.PublishAsync(Failed(caseId, "a"));
        }
        else
        {
            await _h.PublishAsync(Completed(caseId, "b", 2));
        }

        _h.Clock.Advance(TimeSpan.FromMinutes(7));
        if (failureFirst)
        {
            await _h.PublishAsync(Completed(caseId, "b", 2));
        }
        else
        {
            await _h.PublishAsync(Failed(caseId, "a"));
        }

        var saga = await _h.WaitForStateAsync(caseId, _h.Machine.PartiallyCompleted);
        Assert.Equal(_h.Clock.GetUtcNow(), saga.StepStartedAt);
        Assert.Equal((_h.Clock.GetUtcNow() + _h.Options.FailedStoreRetryInterval, DeadlineKind.StepTimeout), (saga.NextDeadlineAt, saga.NextDeadlineKind));
        var notice = Assert.Single(_h.Sent<SendNotification>(caseId, n => n.Template == "dpo-partially-completed"));
        Assert.Equal(_h.Options.DpoEmail, notice.RecipientEmail(_h.Protector));
        Assert.Equal("a: Failed (Store unreachable); b: Completed", notice.Values(_h.Protector)["stores"]);
    }

    [Fact]
    public async Task A_second_partial_completion_after_a_retry_tells_the_dpo_again_under_a_key_of_its_own()
    {
        var caseId = await LocatedAsync(("a", 1), ("b", 2));
        await _h.PublishAsync(Completed(caseId, "a", 1));
        await _h.PublishAsync(Failed(caseId, "b"));
        await _h.WaitForStateAsync(caseId, _h.Machine.PartiallyCompleted);
        await _h.PublishAsync(new RetryStore { CaseId = caseId, Actor = "dpo", StoreId = "b" });
        await _h.WaitForStateAsync(caseId, _h.Machine.Executing);

        await _h.PublishAsync(Failed(caseId, "b"));

        var saga = await _h.WaitForStateAsync(caseId, _h.Machine.PartiallyCompleted);
        var notices = _h.Sent<SendNotification>(caseId, n => n.Template == "dpo-partially-completed");
        Assert.Equal(["partially-completed", "partially-completed#2"], notices.Select(n => n.NotificationKey));
        Assert.All(notices, n => Assert.Equal(_h.Options.DpoEmail, n.RecipientEmail(_h.Protector)));

        // Notification's report of the second email is recorded against it.
        await _h.PublishAsync(new NotificationSent { CaseId = caseId, NotificationKey = "partially-completed#2", SentAt = CaseSagaHarness.Now });
        Assert.Equal(
            [("partially-completed", (DateTimeOffset?)null), ("partially-completed#2", CaseSagaHarness.Now)],
            saga.Notices.Where(n => n.Template == "dpo-partially-completed").Select(n => (n.Key, n.SentAt)));
    }

    [Fact]
    public async Task A_stuck_step_has_its_command_sent_again_after_its_timeout_only()
    {
        var caseId = await _h.ReceiveAsync();
        await _h.PublishAsync(Verified(caseId));
        var saga = await _h.WaitForStateAsync(caseId, _h.Machine.Locating);
        Assert.Equal(DeadlineKind.StepTimeout, saga.NextDeadlineKind);
        Assert.Equal(_h.Clock.GetUtcNow() + _h.Options.StoreActionStepTimeout, saga.NextDeadlineAt);

        // Early (a deadline delivered again after progress): nothing is re-sent.
        await _h.PublishAsync(Deadline(caseId, DeadlineKind.StepTimeout));
        Assert.Single(_h.Sent<LocateSubjectData>(caseId));

        _h.Clock.Advance(_h.Options.StoreActionStepTimeout);
        await _h.PublishAsync(Deadline(caseId, DeadlineKind.StepTimeout));
        Assert.Equal(2, (_h.Sent<LocateSubjectData>(caseId)).Count);
        Assert.Equal(1, saga.StepResends);
    }

    [Fact]
    public async Task An_overdue_case_is_escalated_to_the_dpo_once_however_often_the_deadline_fires()
    {
        var caseId = await _h.ReceiveAsync(DataSubjectRight.Rectification);
        await _h.PublishAsync(Verified(caseId));
        var saga = await _h.WaitForStateAsync(caseId, _h.Machine.AwaitingDpoAction);
        Assert.Equal(DeadlineKind.TargetReminder, saga.NextDeadlineKind);

        _h.Clock.SetUtcNow(saga.DueAt);
        await _h.PublishAsync(Deadline(caseId, DeadlineKind.Overdue));
        await _h.PublishAsync(Deadline(caseId, DeadlineKind.Overdue));

        var escalations = _h.Sent<SendNotification>(caseId, n => n.Template == "dpo-overdue");
        Assert.Equal("dpo@closely.example", Assert.Single(escalations).RecipientEmail(_h.Protector));
        Assert.True(saga.OverdueEscalated);
    }

    private async Task<Guid> LocatedAsync(params (string Store, int Rows)[] stores)
    {
        var caseId = await _h.ReceiveAsync();
        await _h.PublishAsync(Verified(caseId));
        await _h.WaitForStateAsync(caseId, _h.Machine.Locating);
        await _h.PublishAsync(new SubjectDataLocated
        {
            CaseId = caseId,
            Stores = stores.Select(s => new StoreFindings
            {
                StoreId = s.Store,
                RowsPerEntity = new Dictionary<string, int> { ["people"] = s.Rows },
            }).ToList(),
        });
        return caseId;
    }

    private static IdentityVerified Verified(Guid caseId) =>
        new() { CaseId = caseId, Method = "email-link", VerifiedAt = CaseSagaHarness.Now };

    private static StoreActionCompleted Completed(Guid caseId, string store, int rows) => new()
    {
        CaseId = caseId, StoreId = store, Action = StoreActionKind.Erase, RowsAffected = rows, CompletedAt = CaseSagaHarness.Now,
    };

    private static StoreActionFailed Failed(Guid caseId, string store) => new()
    {
        CaseId = caseId, StoreId = store, Action = StoreActionKind.Erase, Reason = "Store unreachable", FailedAt = CaseSagaHarness.Now,
    };

    private static DeadlineReached Deadline(Guid caseId, DeadlineKind kind) =>
        new() { CaseId = caseId, Kind = kind, DeadlineAt = CaseSagaHarness.Now };
}
