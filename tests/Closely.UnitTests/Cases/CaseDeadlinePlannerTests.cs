using Closely.Contracts;

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
        var notices = _h.Sent<SendNotification>(caseId, n => n.RecipientEmail == "dpo@closely.example");
        Assert.Equal(["dpo-action-needed", "dpo-overdue"], notices.Select(n => n.Template));
        Assert.Equal(["reminder", "reminder", "overdue"], saga.PendingAudit.Select(e => e.Action).Where(a => a is "reminder" or "overdue"));
    }
}
