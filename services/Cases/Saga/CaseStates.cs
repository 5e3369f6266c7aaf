namespace Closely.Cases.Saga;

/// <summary>
/// The names of the case saga's states, as stored in <c>cases.case_sagas.current_state</c>, and which of them
/// are closed. The one definition that the machine, the deadline planner, the reminder digest, the gauges and
/// the console share: the names are those of <see cref="CaseStateMachine"/>'s state properties.
/// </summary>
public static class CaseStates
{
    public const string AwaitingVerification = nameof(CaseStateMachine.AwaitingVerification);
    public const string AwaitingTriage = nameof(CaseStateMachine.AwaitingTriage);
    public const string AwaitingAuthorityApproval = nameof(CaseStateMachine.AwaitingAuthorityApproval);
    public const string AwaitingDpoAction = nameof(CaseStateMachine.AwaitingDpoAction);
    public const string Locating = nameof(CaseStateMachine.Locating);
    public const string Executing = nameof(CaseStateMachine.Executing);
    public const string Packaging = nameof(CaseStateMachine.Packaging);
    public const string AwaitingPackageReview = nameof(CaseStateMachine.AwaitingPackageReview);
    public const string PartiallyCompleted = nameof(CaseStateMachine.PartiallyCompleted);
    public const string Completed = nameof(CaseStateMachine.Completed);
    public const string Rejected = nameof(CaseStateMachine.Rejected);
    public const string Refused = nameof(CaseStateMachine.Refused);
    public const string Withdrawn = nameof(CaseStateMachine.WithdrawnByRequester);
    public const string AnnouncingLift = nameof(CaseStateMachine.AnnouncingLift);

    /// <summary>Every state, in the order a case moves through them.</summary>
    public static IReadOnlyList<string> All { get; } =
    [
        AwaitingVerification, AwaitingTriage, AwaitingAuthorityApproval, AwaitingDpoAction, Locating, Executing,
        PartiallyCompleted, Packaging, AwaitingPackageReview, Completed, Rejected, Refused, Withdrawn, AnnouncingLift,
    ];

    /// <summary>The states in which a case has its outcome: no deadline applies to it any more.</summary>
    public static IReadOnlyList<string> Closed { get; } = [Completed, Rejected, Refused, Withdrawn];

    /// <summary>The steps whose answer comes from another service, so that their command may need re-sending.</summary>
    public static IReadOnlyList<string> AwaitingService { get; } = [AwaitingVerification, Locating, Executing, Packaging];

    public static bool IsClosed(string state) => Closed.Contains(state);
}
