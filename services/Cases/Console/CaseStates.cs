using Closely.Cases.Saga;

namespace Closely.Cases.DpoConsole;

/// <summary>The saga's state names, and which of the DPO's actions the saga accepts in each.</summary>
public static class CaseStates
{
    public const string AwaitingVerification = nameof(CaseStateMachine.AwaitingVerification);
    public const string AwaitingTriage = nameof(CaseStateMachine.AwaitingTriage);
    public const string AwaitingAuthorityApproval = nameof(CaseStateMachine.AwaitingAuthorityApproval);
    public const string AwaitingDpoAction = nameof(CaseStateMachine.AwaitingDpoAction);
    public const string Locating = nameof(CaseStateMachine.Locating);
    public const string Executing = nameof(CaseStateMachine.Executing);
    public const string PartiallyCompleted = nameof(CaseStateMachine.PartiallyCompleted);
    public const string Completed = nameof(CaseStateMachine.Completed);
    public const string Rejected = nameof(CaseStateMachine.Rejected);
    public const string Refused = nameof(CaseStateMachine.Refused);
    public const string Withdrawn = nameof(CaseStateMachine.WithdrawnByRequester);

    /// <summary>Every state, in the order a case moves through them.</summary>
    public static IReadOnlyList<string> All { get; } =
    [
        AwaitingVerification, AwaitingTriage, AwaitingAuthorityApproval, AwaitingDpoAction, Locating, Executing,
        PartiallyCompleted, Completed, Rejected, Refused, Withdrawn,
    ];

    /// <summary>The states in which a case has its outcome.</summary>
    public static IReadOnlyList<string> Closed => CaseStateMachine.ClosedStates;

    public static bool IsClosed(CaseState saga)
    {
        ArgumentNullException.ThrowIfNull(saga);
        return Closed.Contains(saga.CurrentState);
    }

    /// <summary>"AwaitingDpoAction" as "awaiting DPO action".</summary>
    public static string Describe(string state) => state switch
    {
        AwaitingDpoAction => "awaiting DPO action",
        Withdrawn => "withdrawn",
        _ => string.Concat(state.Select((c, i) => i > 0 && char.IsUpper(c) ? " " + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString())),
    };

    public static bool CanDecideAuthority(CaseState saga) =>
        saga.Authority == AuthorityReview.Pending
        && saga.CurrentState is AwaitingVerification or AwaitingTriage or AwaitingAuthorityApproval;

    public static bool CanDecideIdentity(CaseState saga) => saga.CurrentState == AwaitingVerification;

    public static bool CanExtend(CaseState saga) => !IsClosed(saga) && !saga.Extended;

    public static bool CanRefuseOrWithdraw(CaseState saga) => !IsClosed(saga);

    public static bool CanReclassify(CaseState saga) =>
        saga.CurrentState is AwaitingVerification or AwaitingTriage or AwaitingAuthorityApproval or AwaitingDpoAction;

    public static bool CanComplete(CaseState saga) => saga.CurrentState == AwaitingDpoAction;

    public static bool CanRetry(CaseState saga, StoreProgress store) =>
        saga.CurrentState == PartiallyCompleted && store.Status == StoreStatus.Failed;

    public static bool CanMarkDone(CaseState saga, StoreProgress store) =>
        saga.CurrentState is Executing or PartiallyCompleted && store.Status != StoreStatus.Completed;
}
