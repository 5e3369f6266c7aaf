using Closely.BuildingBlocks.Privacy;
using Closely.Cases.Saga;
using Closely.Contracts;

namespace Closely.UnitTests.Cases;

/// <summary>How each right, channel and kind of requester travels through the case saga.</summary>
public sealed class CaseRoutingTests : IAsyncLifetime
{
    private CaseSagaHarness _h = null!;

    public async Task InitializeAsync() => _h = await CaseSagaHarness.StartAsync();

    public async Task DisposeAsync() => await _h.DisposeAsync();

    [Theory]
    [InlineData(DataSubjectRight.Rectification)]
    [InlineData(DataSubjectRight.Restriction)]
    [InlineData(DataSubjectRight.Objection)]
    public async Task A_verified_request_whose_execution_is_not_automated_awaits_the_dpo_who_is_told(DataSubjectRight right)
    {
        var caseId = await _h.ReceiveAsync(right);
        await VerifyAsync(caseId);

        var saga = await _h.WaitForStateAsync(caseId, _h.Machine.AwaitingDpoAction);
        Assert.Equal((saga.TargetAt - _h.Options.TargetReminderLead, DeadlineKind.TargetReminder), (saga.NextDeadlineAt, saga.NextDeadlineKind));
        Assert.Empty(_h.Sent<LocateSubjectData>(caseId));
        var notice = Assert.Single(_h.Sent<SendNotification>(caseId, n => n.Template == "dpo-action-needed"));
        Assert.Equal(_h.Options.DpoEmail, notice.RecipientEmail(_h.Protector));
    }

    [Theory]
    [InlineData(RestrictionGround.AccuracyContested, "restriction-completed-accuracy-contested")]
    [InlineData(RestrictionGround.ObjectionPending, "restriction-completed-objection-pending")]
    public async Task A_verified_restriction_with_its_ground_is_restricted_in_every_store_and_completes_with_the_grounds_notice(RestrictionGround ground, string template)
    {
        var caseId = Guid.NewGuid();
        await _h.PublishAsync(_h.Received(caseId, DataSubjectRight.Restriction) with { RestrictionGround = ground });
        await _h.WaitForStateAsync(caseId, _h.Machine.AwaitingVerification);
        await VerifyAsync(caseId);
        await _h.WaitForStateAsync(caseId, _h.Machine.Locating);
        await _h.PublishAsync(new SubjectDataLocated
        {
            CaseId = caseId,
            Stores = [new StoreFindings { StoreId = "hetzner-fsn1-crm", Reachable = true, RowsPerEntity = new Dictionary<string, int> { ["people"] = 1 } }],
        });

        await _h.WaitForStateAsync(caseId, _h.Machine.Executing);
        var command = Assert.Single(_h.Sent<ExecuteStoreAction>(caseId));
        Assert.Equal((StoreActionKind.Restrict, ground), (command.Action, command.Ground));
        await _h.PublishAsync(new StoreActionCompleted
        {
            CaseId = caseId, StoreId = "hetzner-fsn1-crm", Action = StoreActionKind.Restrict, RowsAffected = 1, CompletedAt = DateTimeOffset.UtcNow,
        });

        var saga = await _h.WaitForStateAsync(caseId, _h.Machine.Completed);
        Assert.StartsWith($"Restricted under Art 18(1)({(ground == RestrictionGround.AccuracyContested ? 'a' : 'd')})", saga.Outcome, StringComparison.Ordinal);
        Assert.Single(_h.Sent<SendNotification>(caseId, n => n.Template == template));
    }

    [Fact]
    public async Task A_request_for_information_about_automated_decisions_is_answered_by_the_template_and_closed()
    {
        var caseId = await _h.ReceiveAsync(DataSubjectRight.AutomatedDecisionInformation);
        await VerifyAsync(caseId);

        var saga = await _h.WaitForStateAsync(caseId, _h.Machine.Completed);
        Assert.Null(saga.NextDeadlineAt);
        var answer = Assert.Single(_h.Sent<SendNotification>(caseId, n => n.Template == "automated-decision-information"));
        Assert.Equal("jane.doe@example.com", answer.RecipientEmail(_h.Protector));
    }

    [Fact]
    public async Task An_opt_out_closes_at_once_with_a_confirmation_and_no_verification()
    {
        var caseId = Guid.NewGuid();
        await _h.PublishAsync(_h.Received(caseId, DataSubjectRight.Objection) with { Channel = IntakeChannel.OptOut });

        var saga = await _h.WaitForStateAsync(caseId, _h.Machine.Completed);
        Assert.Null(saga.NextDeadlineAt);
        Assert.Empty(_h.Sent<VerifyIdentity>(caseId));
        Assert.Equal(["objection-confirmed"], _h.Sent<SendNotification>(caseId).Select(n => n.Template));
    }

    [Fact]
    public async Task An_unclear_request_waits_for_triage_after_verification_and_proceeds_once_classified()
    {
        var caseId = Guid.NewGuid();
        await _h.PublishAsync(_h.Received(caseId, DataSubjectRight.Rectification) with { NeedsTriage = true, ClassificationConfidence = 0.3 });
        await VerifyAsync(caseId);
        await _h.WaitForStateAsync(caseId, _h.Machine.AwaitingTriage);
        Assert.Single(_h.Sent<SendNotification>(caseId, n => n.Template == "dpo-action-needed"));

        await _h.PublishAsync(new ReclassifyRequest { CaseId = caseId, Actor = "dpo", Right = DataSubjectRight.Erasure, Reason = "The mail asks to delete everything." });

        var saga = await _h.WaitForStateAsync(caseId, _h.Machine.Locating);
        Assert.Equal((DataSubjectRight.Erasure, false), (saga.Right, saga.NeedsTriage));
        Assert.Single(_h.Sent<LocateSubjectData>(caseId));
        Assert.Contains(saga.PendingAudit, e => e.Action == "reclassified" && e.Actor == "dpo");
    }

    [Fact]
    public async Task An_agents_request_tells_both_and_needs_the_subjects_confirmation_and_the_dpos_approval()
    {
        var caseId = Guid.NewGuid();
        await _h.PublishAsync(_h.Received(caseId, DataSubjectRight.Erasure) with { SealedAgentEmail = _h.Seal(caseId, BusSeal.AgentEmail, "Agent@Lawfirm.example") });
        await _h.WaitForStateAsync(caseId, _h.Machine.AwaitingVerification);
        var verify = Assert.Single(_h.Sent<VerifyIdentity>(caseId));
        Assert.Equal("jane.doe@example.com", verify.RequesterEmail(_h.Protector));
        Assert.Equal(
            ["jane.doe@example.com", "agent@lawfirm.example"],
            _h.Sent<SendNotification>(caseId, n => n.Template == "acknowledgement").Select(n => n.RecipientEmail(_h.Protector)));

        await VerifyAsync(caseId);
        var saga = await _h.WaitForStateAsync(caseId, _h.Machine.AwaitingAuthorityApproval);
        Assert.Equal(AuthorityReview.Pending, saga.Authority);
        Assert.Empty(_h.Sent<LocateSubjectData>(caseId));

        await _h.PublishAsync(new DecideAuthority { CaseId = caseId, Actor = "dpo", Approved = true, Reason = "Signed power of attorney." });
        saga = await _h.WaitForStateAsync(caseId, _h.Machine.Locating);
        Assert.Equal(AuthorityReview.Approved, saga.Authority);
    }

    [Fact]
    public async Task An_authority_approved_before_the_subject_confirms_lets_the_case_proceed_on_confirmation()
    {
        var caseId = Guid.NewGuid();
        await _h.PublishAsync(_h.Received(caseId, DataSubjectRight.Rectification) with { SealedAgentEmail = _h.Seal(caseId, BusSeal.AgentEmail, "agent@lawfirm.example") });
        await _h.PublishAsync(new DecideAuthority { CaseId = caseId, Actor = "dpo", Approved = true, Reason = "Signed." });
        await _h.WaitForStateAsync(caseId, _h.Machine.AwaitingVerification);

        await VerifyAsync(caseId);

        await _h.WaitForStateAsync(caseId, _h.Machine.AwaitingDpoAction);
    }

    [Fact]
    public async Task A_rejected_authority_rejects_the_case_and_tells_subject_and_agent_why()
    {
        var caseId = Guid.NewGuid();
        await _h.PublishAsync(_h.Received(caseId, DataSubjectRight.Erasure) with { SealedAgentEmail = _h.Seal(caseId, BusSeal.AgentEmail, "agent@lawfirm.example") });
        await VerifyAsync(caseId);
        await _h.WaitForStateAsync(caseId, _h.Machine.AwaitingAuthorityApproval);

        await _h.PublishAsync(new DecideAuthority { CaseId = caseId, Actor = "dpo", Approved = false, Reason = "The document is not signed." });

        var saga = await _h.WaitForStateAsync(caseId, _h.Machine.Rejected);
        Assert.Null(saga.NextDeadlineAt);
        var notices = _h.Sent<SendNotification>(caseId, n => n.Template == "authority-rejected");
        Assert.Equal(["jane.doe@example.com", "agent@lawfirm.example"], notices.Select(n => n.RecipientEmail(_h.Protector)));
        Assert.All(notices, n => Assert.Equal("The document is not signed.", n.Values(_h.Protector)["reason"]));
    }

    [Fact]
    public async Task The_dpo_can_decide_identity_by_hand_and_a_late_link_confirmation_changes_nothing()
    {
        var caseId = await _h.ReceiveAsync(DataSubjectRight.Rectification);
        await _h.PublishAsync(new DecideIdentity { CaseId = caseId, Actor = "dpo", Verified = true, Reason = "Confirmed by phone." });
        var saga = await _h.WaitForStateAsync(caseId, _h.Machine.AwaitingDpoAction);
        var entries = saga.AuditCount;

        await VerifyAsync(caseId);

        Assert.Equal(_h.Machine.AwaitingDpoAction.Name, saga.CurrentState);
        Assert.Equal(entries, saga.AuditCount);
    }

    [Fact]
    public async Task A_manual_identity_rejection_closes_the_case_as_rejected()
    {
        var caseId = await _h.ReceiveAsync();
        await _h.PublishAsync(new DecideIdentity { CaseId = caseId, Actor = "dpo", Verified = false, Reason = "The address bounced and nobody answered." });

        await _h.WaitForStateAsync(caseId, _h.Machine.Rejected);
        Assert.Single(_h.Sent<SendNotification>(caseId, n => n.Template == "identity-rejected"));
    }

    [Fact]
    public async Task The_dpo_completes_a_request_they_carried_out_and_the_requester_is_told()
    {
        var caseId = await _h.ReceiveAsync(DataSubjectRight.Rectification);
        await VerifyAsync(caseId);
        await _h.WaitForStateAsync(caseId, _h.Machine.AwaitingDpoAction);

        await _h.PublishAsync(new CompleteRequest { CaseId = caseId, Actor = "dpo", Note = "The copy of the data was sent by secure link." });

        var saga = await _h.WaitForStateAsync(caseId, _h.Machine.Completed);
        Assert.Equal("The copy of the data was sent by secure link.", saga.Outcome);
        var notice = Assert.Single(_h.Sent<SendNotification>(caseId, n => n.Template == "request-completed"));
        Assert.Equal("The copy of the data was sent by secure link.", notice.Values(_h.Protector)["note"]);
    }

    private Task VerifyAsync(Guid caseId) =>
        _h.PublishAsync(new IdentityVerified { CaseId = caseId, Method = "email-link", VerifiedAt = CaseSagaHarness.Now });
}
