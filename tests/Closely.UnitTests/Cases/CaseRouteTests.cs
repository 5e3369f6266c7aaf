using Closely.Cases.Saga;
using Closely.Contracts;
using MassTransit.SagaStateMachine;

namespace Closely.UnitTests.Cases;

/// <summary>The saga's routing decisions as pure functions, and the transitions they lead to in the machine's graph.</summary>
public sealed class CaseRouteTests
{
    public static TheoryData<IntakeChannel> Channels() => [.. Enum.GetValues<IntakeChannel>()];

    public static TheoryData<DataSubjectRight> Rights() => [.. Enum.GetValues<DataSubjectRight>()];

    [Theory]
    [MemberData(nameof(Channels))]
    public void Only_an_opt_out_closes_at_receipt_every_other_channel_verifies_the_requester_first(IntakeChannel channel)
    {
        var expected = channel == IntakeChannel.OptOut ? ReceiptRoute.CloseAtOnce : ReceiptRoute.Verify;

        Assert.Equal(expected, CaseRouting.OnReceipt(channel));
    }

    [Theory]
    [MemberData(nameof(Rights))]
    public void A_verified_request_with_a_clear_right_and_no_pending_authority_goes_where_its_right_is_carried_out(DataSubjectRight right)
    {
        var expected = right switch
        {
            DataSubjectRight.Erasure or DataSubjectRight.Access or DataSubjectRight.Portability => VerifiedRoute.Locate,
            DataSubjectRight.AutomatedDecisionInformation => VerifiedRoute.AnswerWithInformation,
            _ => VerifiedRoute.DpoAction,
        };

        Assert.Equal(expected, CaseRouting.AfterVerification(right, needsTriage: false, AuthorityReview.NotNeeded));
        Assert.Equal(expected, CaseRouting.AfterVerification(right, needsTriage: false, AuthorityReview.Approved));
    }

    [Theory]
    [MemberData(nameof(Rights))]
    public void An_unclear_right_is_triaged_first_whatever_the_guess_and_the_authority(DataSubjectRight right)
    {
        Assert.Equal(VerifiedRoute.Triage, CaseRouting.AfterVerification(right, needsTriage: true, AuthorityReview.NotNeeded));
        Assert.Equal(VerifiedRoute.Triage, CaseRouting.AfterVerification(right, needsTriage: true, AuthorityReview.Pending));
    }

    [Theory]
    [MemberData(nameof(Rights))]
    public void An_agents_request_whose_authority_is_pending_waits_for_the_dpos_review_whatever_the_right(DataSubjectRight right) =>
        Assert.Equal(VerifiedRoute.AuthorityReview, CaseRouting.AfterVerification(right, needsTriage: false, AuthorityReview.Pending));

    [Theory]
    [InlineData("Verified")]
    [InlineData("IdentityDecided")]
    [InlineData("AuthorityDecided")]
    [InlineData("Reclassified")]
    public async Task Every_route_after_verification_is_a_transition_declared_in_the_graph(string verifyingEvent)
    {
        await using var harness = await CaseSagaHarness.StartAsync();
        var machine = harness.Machine;

        Assert.Superset(
            new HashSet<string>
            {
                machine.AwaitingTriage.Name, machine.AwaitingAuthorityApproval.Name, machine.Locating.Name,
                machine.Completed.Name, machine.AwaitingDpoAction.Name,
            },
            TargetsOf(machine, verifyingEvent));
    }

    [Fact]
    public async Task A_store_result_of_either_kind_can_settle_the_case_as_completed_or_partially_completed()
    {
        await using var harness = await CaseSagaHarness.StartAsync();
        var machine = harness.Machine;

        foreach (var result in new[] { "StoreCompleted", "StoreFailed", "StoreMarkedDone" })
        {
            Assert.Superset(new HashSet<string> { machine.Completed.Name, machine.PartiallyCompleted.Name }, TargetsOf(machine, result));
        }
    }

    [Fact]
    public async Task The_state_names_shared_by_the_console_gauges_digest_and_planner_are_the_machines_states()
    {
        await using var harness = await CaseSagaHarness.StartAsync();
        var machine = harness.Machine;

        Assert.Equal(
            machine.States.Select(s => s.Name).Where(n => n != machine.Initial.Name && n != machine.Final.Name).Order(),
            CaseStates.All.Order());
        Assert.Equal([machine.Completed.Name, machine.Rejected.Name, machine.Refused.Name, machine.WithdrawnByRequester.Name], CaseStates.Closed);
    }

    /// <summary>The states a handler of <paramref name="eventName"/> moves a case to, as the graph declares them.</summary>
    private static HashSet<string> TargetsOf(CaseStateMachine machine, string eventName) =>
        machine.GetGraph().Edges
            .Where(e => e.From.Title == eventName && e.To.VertexType == typeof(MassTransit.State))
            .Select(e => e.To.Title)
            .ToHashSet();
}
