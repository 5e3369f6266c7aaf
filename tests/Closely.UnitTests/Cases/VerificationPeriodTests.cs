using Closely.BuildingBlocks.Privacy;
using Closely.Cases.Saga;
using Closely.Contracts;

namespace Closely.UnitTests.Cases;

/// <summary>
/// A requester who never confirms: the case re-sends the request to verify until the requester was mailed the most
/// verification emails allowed, then waits, and closes as not verified when the verification period is over.
/// </summary>
public sealed class VerificationPeriodTests : IAsyncLifetime
{
    private CaseSagaHarness _h = null!;

    public async Task InitializeAsync() => _h = await CaseSagaHarness.StartAsync();

    public async Task DisposeAsync() => await _h.DisposeAsync();

    [Fact]
    public async Task Verification_is_re_sent_until_the_most_emails_were_sent_and_the_case_then_waits_for_the_end_of_the_period()
    {
        var caseId = await _h.ReceiveAsync();
        var saga = await _h.WaitForStateAsync(caseId, _h.Machine.AwaitingVerification);
        Assert.Equal((CaseSagaHarness.Now + _h.Options.StepTimeout, DeadlineKind.StepTimeout), (saga.NextDeadlineAt, saga.NextDeadlineKind));

        // Identity's emails are counted from Notification's reports, a repeated report once.
        await _h.PublishAsync(Sent(caseId, "verify-a"));
        await _h.PublishAsync(Sent(caseId, "verify-a"));
        Assert.Equal(1, saga.VerificationEmails);
        await StepTimesOutAsync(caseId);
        Assert.Equal(2, _h.Sent<VerifyIdentity>(caseId).Count);

        await _h.PublishAsync(Sent(caseId, "verify-b"));
        await StepTimesOutAsync(caseId);
        await _h.PublishAsync(Sent(caseId, "verify-c"));
        Assert.Equal(_h.Options.MaxVerificationEmails, saga.VerificationEmails);
        Assert.Equal(3, _h.Sent<VerifyIdentity>(caseId).Count);

        // The cap is reached: the step timeout planned before re-sends nothing, and only the end of the period is left.
        await StepTimesOutAsync(caseId);
        Assert.Equal(3, _h.Sent<VerifyIdentity>(caseId).Count);
        Assert.Equal((CaseSagaHarness.Now + _h.Options.VerificationPeriod, DeadlineKind.VerificationExpired), (saga.NextDeadlineAt, saga.NextDeadlineKind));
        Assert.Equal(["verify-identity"], saga.Notices.Where(n => n.Key.StartsWith("verify-", StringComparison.Ordinal)).Select(n => n.Template).Distinct());
    }

    [Fact]
    public async Task A_suppressed_email_is_recorded_once_unsent_and_a_suppressed_verification_email_does_not_count_towards_the_most()
    {
        var caseId = await _h.ReceiveAsync();
        var saga = await _h.WaitForStateAsync(caseId, _h.Machine.AwaitingVerification);

        // Notification reports the acknowledgement and a verification email as suppressed (ADR 42), each twice.
        await _h.PublishAsync(Sent(caseId, "acknowledgement") with { Suppressed = true });
        await _h.PublishAsync(Sent(caseId, "acknowledgement") with { Suppressed = true });
        await _h.PublishAsync(Sent(caseId, "verify-a") with { Suppressed = true });
        await _h.PublishAsync(Sent(caseId, "verify-a") with { Suppressed = true });

        var acknowledgement = saga.Notices.Single(n => n.Key == "acknowledgement");
        Assert.Equal((null, CaseSagaHarness.Now), (acknowledgement.SentAt, acknowledgement.SuppressedAt));
        Assert.Equal(0, saga.VerificationEmails);
        Assert.Equal(2, saga.PendingAudit.Count(e => e.Action == "notice-suppressed"));
        Assert.DoesNotContain(saga.PendingAudit, e => e.Action == "notice-sent");

        // The step's re-send is still due, so the requester gets a link once the address is within its quota again.
        await StepTimesOutAsync(caseId);
        Assert.Equal(2, _h.Sent<VerifyIdentity>(caseId).Count);
    }

    [Fact]
    public async Task A_case_not_verified_within_the_period_closes_as_not_verified_and_tells_the_requester_how_to_ask_again()
    {
        var caseId = await _h.ReceiveAsync();
        var saga = await _h.WaitForStateAsync(caseId, _h.Machine.AwaitingVerification);

        // A deadline delivered before the period is over changes nothing.
        _h.Clock.SetUtcNow(CaseSagaHarness.Now + _h.Options.VerificationPeriod - TimeSpan.FromSeconds(1));
        await _h.PublishAsync(Deadline(caseId, DeadlineKind.VerificationExpired));
        Assert.Equal(CaseStates.AwaitingVerification, saga.CurrentState);

        _h.Clock.SetUtcNow(CaseSagaHarness.Now + _h.Options.VerificationPeriod);
        await _h.PublishAsync(Deadline(caseId, DeadlineKind.VerificationExpired));

        saga = await _h.WaitForStateAsync(caseId, _h.Machine.Rejected);
        Assert.Equal("Not verified: the requester did not confirm the request within 14 days.", saga.Outcome);
        Assert.Null(saga.NextDeadlineAt);
        Assert.Contains(saga.PendingAudit, e => e.Action == "not-verified");
        var notice = Assert.Single(_h.Sent<SendNotification>(caseId, n => n.Template == "not-verified"));
        Assert.Equal(("jane.doe@example.com", "14"), (notice.RecipientEmail(_h.Protector), notice.Values(_h.Protector)["days"]));

        // A link used afterwards finds the case closed.
        await _h.PublishAsync(new IdentityVerified { CaseId = caseId, Method = "email-link", VerifiedAt = _h.Clock.GetUtcNow() });
        Assert.Equal(CaseStates.Rejected, saga.CurrentState);
        Assert.Empty(_h.Sent<LocateSubjectData>(caseId));
    }

    private async Task StepTimesOutAsync(Guid caseId)
    {
        _h.Clock.Advance(_h.Options.StepTimeout);
        await _h.PublishAsync(Deadline(caseId, DeadlineKind.StepTimeout));
    }

    private NotificationSent Sent(Guid caseId, string key) => new() { CaseId = caseId, NotificationKey = key, SentAt = _h.Clock.GetUtcNow() };

    private DeadlineReached Deadline(Guid caseId, DeadlineKind kind) => new() { CaseId = caseId, Kind = kind, DeadlineAt = _h.Clock.GetUtcNow() };
}
