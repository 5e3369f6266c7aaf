using Closely.BuildingBlocks.Privacy;
using Closely.Cases.Saga;
using Closely.Contracts;

namespace Closely.UnitTests.Cases;

/// <summary>A rectification (Art 16) through the case saga: the DPO's decision on each correction, then the stores holding its field.</summary>
public sealed class RectificationSagaTests : IAsyncLifetime
{
    private const string Crm = "hetzner-fsn1-crm";
    private const string Analytics = "aws-euc1-analytics";

    private CaseSagaHarness _h = null!;

    public async Task InitializeAsync() => _h = await CaseSagaHarness.StartAsync();

    public async Task DisposeAsync() => await _h.DisposeAsync();

    [Fact]
    public async Task Verified_corrections_wait_for_the_dpo_and_nothing_is_located_before_they_are_decided()
    {
        var caseId = await ReceiveAndVerifyAsync();

        var saga = await _h.WaitForStateAsync(caseId, _h.Machine.AwaitingDpoAction);
        Assert.Equal([("jobTitle", CorrectionDecision.Pending), ("company", CorrectionDecision.Pending)], saga.Corrections.Select(c => (c.Field, c.Decision)));
        Assert.Empty(_h.Sent<LocateSubjectData>(caseId));
        Assert.Contains(saga.PendingAudit, e => e.Action == "corrections-received" && !e.Detail.Contains("Head of Data", StringComparison.Ordinal));
    }

    [Fact]
    public async Task An_approved_correction_goes_sealed_to_the_stores_holding_its_field_and_the_case_completes_telling_what_was_declined()
    {
        var caseId = await ReceiveAndVerifyAsync();
        await _h.WaitForStateAsync(caseId, _h.Machine.AwaitingDpoAction);

        await _h.PublishAsync(Decide(caseId,
            [Approve("jobTitle"), Decline("company", "the register says otherwise")],
            [new FieldCorrection { Field = "jobTitle", Correction = "Chief Data Officer" }]));
        await _h.WaitForStateAsync(caseId, _h.Machine.Locating);
        await _h.PublishAsync(new SubjectDataLocated
        {
            CaseId = caseId,
            Stores =
            [
                new StoreFindings { StoreId = Crm, RowsPerEntity = new Dictionary<string, int> { ["people"] = 1 }, Fields = ["fullName", "jobTitle"] },
                new StoreFindings { StoreId = Analytics, RowsPerEntity = new Dictionary<string, int> { ["profiles"] = 1 }, Fields = ["fullName"] },
            ],
        });

        var executing = await _h.WaitForStateAsync(caseId, _h.Machine.Executing);
        Assert.Equal([(Crm, StoreActionKind.Rectify)], executing.Stores.Select(s => (s.StoreId, s.Action)));
        var command = Assert.Single(_h.Sent<ExecuteStoreAction>(caseId));
        Assert.Equal(StoreActionKind.Rectify, command.Action);
        var sent = SealedCorrections.Open(_h.Protector, caseId, SealedCorrections.Approved, command.SealedCorrections!);
        Assert.Equal([("jobTitle", "Chief Data Officer")], sent.Select(c => (c.Field, c.Correction)));

        await _h.PublishAsync(new StoreActionCompleted { CaseId = caseId, StoreId = Crm, Action = StoreActionKind.Rectify, RowsAffected = 1, CompletedAt = CaseSagaHarness.Now });

        var saga = await _h.WaitForStateAsync(caseId, _h.Machine.Completed);
        Assert.StartsWith("Rectified (jobTitle)", saga.Outcome, StringComparison.Ordinal);
        var notice = Assert.Single(_h.Sent<SendNotification>(caseId, n => n.Template == "rectification-completed"));
        Assert.Equal("- company: the register says otherwise", notice.Values(_h.Protector)["declined"]);
        Assert.DoesNotContain(notice.Values(_h.Protector).Values, v => v.Contains("Example AG", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Declining_every_correction_completes_without_the_stores_keeping_the_requesters_statement()
    {
        var caseId = await ReceiveAndVerifyAsync();
        await _h.WaitForStateAsync(caseId, _h.Machine.AwaitingDpoAction);

        await _h.PublishAsync(Decide(caseId, [Decline("jobTitle", "the employer confirmed the title"), Decline("company", "the register says otherwise")]));

        var saga = await _h.WaitForStateAsync(caseId, _h.Machine.Completed);
        Assert.Empty(_h.Sent<LocateSubjectData>(caseId));
        Assert.All(saga.Corrections, c => Assert.Equal(CorrectionDecision.Declined, c.Decision));
        Assert.Contains("\"Chief Data Officer (CDO)\"", saga.Corrections[0].Statement, StringComparison.Ordinal);
        Assert.Contains("the employer confirmed the title", saga.Corrections[0].Statement, StringComparison.Ordinal);
        Assert.Single(_h.Sent<SendNotification>(caseId, n => n.Template == "rectification-declined"));
        Assert.Equal(2, saga.PendingAudit.Count(e => e.Action == "correction-declined" && e.Actor == "dana"));
    }

    [Theory]
    [InlineData("one pending correction left undecided")]
    [InlineData("a decline without a reason")]
    [InlineData("an edit of a declined field")]
    public async Task Decisions_that_do_not_settle_every_correction_properly_change_nothing(string what)
    {
        var caseId = await ReceiveAndVerifyAsync();
        await _h.WaitForStateAsync(caseId, _h.Machine.AwaitingDpoAction);
        var decision = what switch
        {
            "one pending correction left undecided" => Decide(caseId, [Approve("jobTitle")]),
            "a decline without a reason" => Decide(caseId, [Approve("jobTitle"), Decline("company", " ")]),
            _ => Decide(caseId, [Approve("jobTitle"), Decline("company", "no")], [new FieldCorrection { Field = "company", Correction = "X" }]),
        };

        await _h.PublishAsync(decision);

        var saga = await _h.WaitForStateAsync(caseId, _h.Machine.AwaitingDpoAction);
        Assert.All(saga.Corrections, c => Assert.Equal(CorrectionDecision.Pending, c.Decision));
        Assert.Empty(_h.Sent<LocateSubjectData>(caseId));
    }

    private async Task<Guid> ReceiveAndVerifyAsync()
    {
        var caseId = Guid.NewGuid();
        var sealedCorrections = SealedCorrections.Seal(_h.Protector, caseId, SealedCorrections.Requested,
        [
            new FieldCorrection { Field = "jobTitle", Current = "Head of Data", Correction = "Chief Data Officer (CDO)" },
            new FieldCorrection { Field = "company", Correction = "Example AG" },
        ]);
        await _h.PublishAsync(_h.Received(caseId, DataSubjectRight.Rectification) with { SealedCorrections = sealedCorrections });
        await _h.WaitForStateAsync(caseId, _h.Machine.AwaitingVerification);
        await _h.PublishAsync(new IdentityVerified { CaseId = caseId, Method = "email-link", VerifiedAt = CaseSagaHarness.Now });
        return caseId;
    }

    private DecideCorrections Decide(Guid caseId, CorrectionVerdict[] verdicts, FieldCorrection[]? edits = null) => new()
    {
        CaseId = caseId,
        Actor = "dana",
        Verdicts = verdicts,
        SealedEdits = edits is null ? null : SealedCorrections.Seal(_h.Protector, caseId, SealedCorrections.Edited, edits),
    };

    private static CorrectionVerdict Approve(string field) => new() { Field = field, Approved = true };

    private static CorrectionVerdict Decline(string field, string reason) => new() { Field = field, Approved = false, Reason = reason };
}
