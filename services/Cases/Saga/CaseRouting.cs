using Closely.Contracts;

namespace Closely.Cases.Saga;

/// <summary>Where a received request goes first.</summary>
public enum ReceiptRoute
{
    /// <summary>Verify the requester's identity by email.</summary>
    Verify,

    /// <summary>An opt-out from direct marketing, done at intake: the case closes at once.</summary>
    CloseAtOnce,
}

/// <summary>Where a case goes once the requester's identity is established.</summary>
public enum VerifiedRoute
{
    /// <summary>The right is unclear: the DPO classifies the request.</summary>
    Triage,

    /// <summary>An agent's written authority is not yet approved: the DPO reviews it.</summary>
    AuthorityReview,

    /// <summary>The right is carried out in the stores (erased, or exported into a package): find the subject in every store first.</summary>
    Locate,

    /// <summary>Closely makes no automated decisions: the request is answered with that information.</summary>
    AnswerWithInformation,

    /// <summary>The right's execution is not automated: the DPO carries it out.</summary>
    DpoAction,
}

/// <summary>
/// The routing decisions of the case saga, as pure functions of the request. The machine declares the
/// transition each route leads to (see <c>CaseStateMachine.Verification.cs</c>).
/// </summary>
public static class CaseRouting
{
    public static ReceiptRoute OnReceipt(IntakeChannel channel) =>
        channel == IntakeChannel.OptOut ? ReceiptRoute.CloseAtOnce : ReceiptRoute.Verify;

    /// <summary>
    /// Once verified: the right must be clear and an agent's authority approved before anything is done; then
    /// erasure, access and portability are carried out in the stores, information about automated decisions is answered
    /// at once, and any other right goes to the DPO. A restriction whose Art 18(1) ground is known is carried out in the
    /// stores too; without one, the DPO asks for it. An objection to other processing than direct marketing (Art 21(1))
    /// is restricted under Art 18(1)(d) while the DPO weighs it; an objection to direct marketing, done at intake, goes to the DPO.
    /// </summary>
    public static VerifiedRoute AfterVerification(
        DataSubjectRight right, bool needsTriage, AuthorityReview authority, RestrictionGround? restrictionGround = null)
    {
        if (needsTriage)
        {
            return VerifiedRoute.Triage;
        }

        if (authority == AuthorityReview.Pending)
        {
            return VerifiedRoute.AuthorityReview;
        }

        return right switch
        {
            DataSubjectRight.Erasure or DataSubjectRight.Access or DataSubjectRight.Portability => VerifiedRoute.Locate,
            DataSubjectRight.Restriction when restrictionGround is not null => VerifiedRoute.Locate,
            DataSubjectRight.Objection when restrictionGround == RestrictionGround.ObjectionPending => VerifiedRoute.Locate,
            DataSubjectRight.AutomatedDecisionInformation => VerifiedRoute.AnswerWithInformation,
            _ => VerifiedRoute.DpoAction,
        };
    }

    public static VerifiedRoute AfterVerification(CaseState saga)
    {
        ArgumentNullException.ThrowIfNull(saga);
        return AfterVerification(saga.Right, saga.NeedsTriage, saga.Authority, saga.RestrictionGround);
    }
}
