using Closely.Cases.Saga;

namespace Closely.Cases.DpoConsole;

/// <summary>Which of the DPO's actions the saga accepts for a case in its state, and the states in words.</summary>
public static class CaseActions
{
    /// <summary>"AwaitingDpoAction" as "awaiting DPO action".</summary>
    public static string Describe(string state) => state switch
    {
        CaseStates.AwaitingDpoAction => "awaiting DPO action",
        CaseStates.Withdrawn => "withdrawn",
        _ => string.Concat(state.Select((c, i) => i > 0 && char.IsUpper(c) ? " " + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString())),
    };

    public static bool CanDecideAuthority(CaseState saga) =>
        saga.Authority == AuthorityReview.Pending
        && saga.CurrentState is CaseStates.AwaitingVerification or CaseStates.AwaitingTriage or CaseStates.AwaitingAuthorityApproval;

    public static bool CanDecideIdentity(CaseState saga) => saga.CurrentState == CaseStates.AwaitingVerification;

    public static bool CanExtend(CaseState saga) => !saga.IsClosed && !saga.Extended;

    public static bool CanRefuseOrWithdraw(CaseState saga) => !saga.IsClosed;

    public static bool CanReclassify(CaseState saga) =>
        saga.CurrentState is CaseStates.AwaitingVerification or CaseStates.AwaitingTriage or CaseStates.AwaitingAuthorityApproval or CaseStates.AwaitingDpoAction;

    /// <summary>A rectification's corrections wait for the DPO's decision (Art 16).</summary>
    public static bool CanDecideCorrections(CaseState saga) => saga.CurrentState == CaseStates.AwaitingDpoAction && saga.AwaitsCorrectionDecisions;

    public static bool CanComplete(CaseState saga) => saga.CurrentState == CaseStates.AwaitingDpoAction;

    public static bool CanReleasePackage(CaseState saga) => saga.CurrentState == CaseStates.AwaitingPackageReview;

    /// <summary>A restriction done in the stores may be lifted, once; the requester is told first (Art 18(3)).</summary>
    public static bool CanLiftRestriction(CaseState saga) => saga.CurrentState == CaseStates.Completed && saga.CanLiftRestriction;

    /// <summary>A restriction under 18(1)(a) or (d) awaiting the DPO's decision may be kept, with a reason.</summary>
    public static bool CanKeepRestriction(CaseState saga) => saga.AwaitsRestrictionDecision;

    public static bool CanRetry(CaseState saga, StoreProgress store) =>
        saga.CurrentState == CaseStates.PartiallyCompleted && store.Status == StoreStatus.Failed;

    public static bool CanMarkDone(CaseState saga, StoreProgress store) =>
        saga.CurrentState is CaseStates.Executing or CaseStates.PartiallyCompleted && store.Status != StoreStatus.Completed;
}
