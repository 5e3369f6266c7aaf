using Closely.BuildingBlocks.Privacy;
using Closely.Cases.Saga;
using Closely.Contracts;

namespace Closely.UnitTests.Cases;

/// <summary>The case keeps the requester's language for every email, and tells read models what the status page needs.</summary>
public sealed class CaseLanguageTests : IAsyncLifetime
{
    private CaseSagaHarness _h = null!;

    public async Task InitializeAsync() => _h = await CaseSagaHarness.StartAsync();

    public async Task DisposeAsync() => await _h.DisposeAsync();

    [Fact]
    public async Task A_german_request_keeps_german_for_the_verification_and_every_email_of_the_case()
    {
        var caseId = Guid.NewGuid();
        await _h.PublishAsync(_h.Received(caseId, DataSubjectRight.Rectification) with { Language = "de", SealedAgentEmail = _h.Seal(caseId, BusSeal.AgentEmail, "agent@lawfirm.example") });
        await _h.WaitForStateAsync(caseId, _h.Machine.AwaitingVerification);
        await _h.PublishAsync(new ExtendDeadline { CaseId = caseId, Actor = "dpo", Reason = "Drei Archive müssen durchgesehen werden." });
        await _h.PublishAsync(new WithdrawRequest { CaseId = caseId, Actor = "dpo", Reason = "The requester withdrew by phone." });

        var saga = await _h.WaitForStateAsync(caseId, _h.Machine.WithdrawnByRequester);
        Assert.Equal("de", saga.Language);
        Assert.Equal("de", Assert.Single(_h.Sent<VerifyIdentity>(caseId)).Language);
        var notices = _h.Sent<SendNotification>(caseId);
        Assert.Equal(
            ["acknowledgement", "acknowledgement", "extension-notice", "extension-notice", "withdrawn", "withdrawn"],
            notices.Select(n => n.Template).Order());
        Assert.All(notices, n => Assert.Equal("de", n.Language));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("fi")]
    [InlineData("")]
    public async Task A_request_without_a_language_offered_is_answered_in_english(string? language)
    {
        var caseId = Guid.NewGuid();
        await _h.PublishAsync(_h.Received(caseId) with { Language = language });

        var saga = await _h.WaitForStateAsync(caseId, _h.Machine.AwaitingVerification);
        Assert.Equal("en", saga.Language);
        Assert.Equal("en", Assert.Single(_h.Sent<SendNotification>(caseId)).Language);
    }

    [Fact]
    public async Task The_acknowledgement_carries_the_status_link_and_names_the_right_only_when_it_is_clear()
    {
        var clear = Guid.NewGuid();
        var unclear = Guid.NewGuid();
        var statusUrl = new Uri("http://127.0.0.1:5100/api/requests/x/status?token=t&lang=de");
        await _h.PublishAsync(_h.Received(clear) with { SealedStatusUrl = _h.Seal(clear, BusSeal.StatusUrl, statusUrl.OriginalString) });
        await _h.PublishAsync(_h.Received(unclear, DataSubjectRight.Erasure) with
        {
            Channel = IntakeChannel.Email,
            NeedsTriage = true,
            ClassificationConfidence = 0.4,
            SealedStatusUrl = _h.Seal(unclear, BusSeal.StatusUrl, statusUrl.OriginalString),
        });
        await _h.WaitForStateAsync(clear, _h.Machine.AwaitingVerification);
        await _h.WaitForStateAsync(unclear, _h.Machine.AwaitingVerification);

        var clearAck = Assert.Single(_h.Sent<SendNotification>(clear));
        Assert.Equal("acknowledgement", clearAck.Template);
        Assert.Equal(statusUrl.ToString(), clearAck.Values(_h.Protector)["statusUrl"]);
        var unclearAck = Assert.Single(_h.Sent<SendNotification>(unclear));
        Assert.Equal("acknowledgement-unclear", unclearAck.Template);
        Assert.Equal(statusUrl.ToString(), unclearAck.Values(_h.Protector)["statusUrl"]);
    }

    [Fact]
    public async Task Read_models_learn_whether_the_right_is_still_unclear_and_why_the_case_was_extended()
    {
        var caseId = Guid.NewGuid();
        await _h.PublishAsync(_h.Received(caseId) with { Channel = IntakeChannel.Email, NeedsTriage = true, ClassificationConfidence = 0.2 });
        await _h.WaitForStateAsync(caseId, _h.Machine.AwaitingVerification);
        await _h.PublishAsync(new ExtendDeadline { CaseId = caseId, Actor = "dpo", Reason = "Data in three archives must be reviewed." });
        await _h.PublishAsync(new ReclassifyRequest { CaseId = caseId, Actor = "dpo", Right = DataSubjectRight.Rectification, Reason = "The mail asks for a copy." });

        var changes = _h.Harness.Published.Select<CaseStatusChanged>().Select(m => m.Context.Message).Where(m => m.CaseId == caseId).ToList();
        Assert.Equal([true, true, false], changes.Select(c => c.NeedsTriage));
        Assert.Equal([null, "Data in three archives must be reviewed.", "Data in three archives must be reviewed."], changes.Select(c => c.ExtensionReason));
        Assert.Equal(DataSubjectRight.Rectification, changes[^1].Right);
    }
}
