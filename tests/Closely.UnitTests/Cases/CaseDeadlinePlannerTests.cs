using Closely.BuildingBlocks.Privacy;
using Closely.Cases;
using Closely.Cases.Deadlines;
using Closely.Cases.Saga;
using Closely.Contracts;
using Microsoft.Extensions.Options;

namespace Closely.UnitTests.Cases;

public sealed class CaseDeadlinePlannerTests : IAsyncLifetime
{
    private CaseSagaHarness _h = null!;

    public async Task InitializeAsync() => _h = await CaseSagaHarness.StartAsync();

    public async Task DisposeAsync() => await _h.DisposeAsync();

    [Fact]
    public async Task Reminders_come_before_the_target_and_the_due_date_and_escalation_at_the_due_date()
    {
        var caseId = await _h.ReceiveAsync(DataSubjectRight.Rectification);
        await _h.PublishAsync(new IdentityVerified { CaseId = caseId, Method = "email-link", VerifiedAt = CaseSagaHarness.Now });
        var saga = await _h.WaitForStateAsync(caseId, _h.Machine.AwaitingDpoAction);

        Assert.Equal((saga.TargetAt - _h.Options.TargetReminderLead, DeadlineKind.TargetReminder), (saga.NextDeadlineAt, saga.NextDeadlineKind));

        _h.Clock.SetUtcNow(saga.NextDeadlineAt!.Value);
        await _h.PublishAsync(new DeadlineReached { CaseId = caseId, Kind = DeadlineKind.TargetReminder, DeadlineAt = saga.NextDeadlineAt.Value });
        Assert.Equal((saga.DueAt - _h.Options.DueReminderLead, DeadlineKind.DueReminder), (saga.NextDeadlineAt, saga.NextDeadlineKind));

        _h.Clock.SetUtcNow(saga.NextDeadlineAt!.Value);
        await _h.PublishAsync(new DeadlineReached { CaseId = caseId, Kind = DeadlineKind.DueReminder, DeadlineAt = saga.NextDeadlineAt.Value });
        Assert.Equal((saga.DueAt, DeadlineKind.Overdue), (saga.NextDeadlineAt, saga.NextDeadlineKind));

        _h.Clock.SetUtcNow(saga.DueAt);
        await _h.PublishAsync(new DeadlineReached { CaseId = caseId, Kind = DeadlineKind.Overdue, DeadlineAt = saga.DueAt });
        Assert.Null(saga.NextDeadlineAt);

        // The reminders put the case in the DPO's daily digest (no email of its own); the escalation is one.
        var notices = _h.Sent<SendNotification>(caseId, n => n.RecipientEmail(_h.Protector) == "dpo@closely.example");
        Assert.Equal(["dpo-action-needed", "dpo-overdue"], notices.Select(n => n.Template));
        Assert.Equal(["reminder", "reminder", "overdue"], saga.PendingAudit.Select(e => e.Action).Where(a => a is "reminder" or "overdue"));
    }

    [Theory]
    [InlineData(CaseStates.AwaitingVerification, 10 * 60)]
    [InlineData(CaseStates.Locating, 2 * 60)]
    [InlineData(CaseStates.Executing, 2 * 60)]
    [InlineData(CaseStates.PartiallyCompleted, 60 * 60)]
    [InlineData(CaseStates.AwaitingDpoAction, null)]
    [InlineData(CaseStates.AwaitingTriage, null)]
    [InlineData(CaseStates.Completed, null)]
    public void Each_step_has_the_timeout_of_its_kind(string state, int? seconds)
    {
        var planner = new CaseDeadlinePlanner(Options.Create(new CasesOptions
        {
            DpoEmail = "dpo@closely.example",
            StepTimeout = TimeSpan.FromMinutes(10),
            StoreActionStepTimeout = TimeSpan.FromMinutes(2),
            FailedStoreRetryInterval = TimeSpan.FromHours(1),
        }));
        var saga = OpenCase(state);

        Assert.Equal(seconds is null ? null : TimeSpan.FromSeconds(seconds.Value), planner.StepTimeoutOf(saga));
        Assert.False(planner.StepTimedOut(saga, saga.StepStartedAt + TimeSpan.FromSeconds(119)));
        Assert.Equal(seconds is not null && seconds <= 120, planner.StepTimedOut(saga, saga.StepStartedAt + TimeSpan.FromSeconds(120)));
    }

    [Fact]
    public void A_store_action_step_is_woken_at_its_short_timeout_before_any_reminder()
    {
        var planner = new CaseDeadlinePlanner(Options.Create(new CasesOptions { DpoEmail = "dpo@closely.example", StoreActionStepTimeout = TimeSpan.FromSeconds(90) }));
        var saga = OpenCase(CaseStates.Executing);

        planner.Plan(saga);

        Assert.Equal((saga.StepStartedAt + TimeSpan.FromSeconds(90), DeadlineKind.StepTimeout), (saga.NextDeadlineAt, saga.NextDeadlineKind));
    }

    private static CaseState OpenCase(string state) => new()
    {
        CurrentState = state,
        StepStartedAt = CaseSagaHarness.Now,
        ReceivedAt = CaseSagaHarness.Now,
        TargetAt = CaseSagaHarness.Now.AddDays(20),
        DueAt = CaseSagaHarness.Now.AddDays(30),
    };
}
