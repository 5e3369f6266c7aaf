using System.Globalization;
using Closely.Contracts;

namespace Closely.Cases.Saga;

// Lifting a restriction: what it changes in the case and records in its audit trail.
public partial class CaseState
{
    /// <summary>A completed restriction (or objection pending, Art 18(1)(d)) that was carried out in the stores and not lifted yet.</summary>
    public bool CanLiftRestriction =>
        StoreAction == StoreActionKind.Restrict
        && Stores.Exists(s => s.Action == StoreActionKind.Restrict && s.Status == StoreStatus.Completed)
        && !RestrictionLifted;

    /// <summary>The lift was decided: the stores have (or are to have) their <see cref="StoreActionKind.LiftRestriction"/> step.</summary>
    public bool RestrictionLifted => LiftAnnouncedAt is not null;

    /// <summary>
    /// A restriction under Art 18(1)(a) (accuracy contested) or (d) (objection pending) lasts only until the controller has
    /// checked: it is flagged to the DPO from when it is done in the stores until they lift it or keep it with a reason.
    /// </summary>
    public bool AwaitsRestrictionDecision =>
        RestrictionGround is Contracts.RestrictionGround.AccuracyContested or Contracts.RestrictionGround.ObjectionPending
        && CurrentState == CaseStates.Completed
        && CanLiftRestriction
        && RestrictionKeptAt is null;

    /// <summary>When the DPO decided to keep a flagged restriction (the reason is in the audit trail).</summary>
    public DateTimeOffset? RestrictionKeptAt { get; set; }

    /// <summary>The DPO keeps the restriction, with the reason (e.g. the check is still running): the flag is cleared.</summary>
    public void KeepRestriction(string actor, string reason, DateTimeOffset now)
    {
        RestrictionKeptAt = now;
        Record(now, actor, "restriction-kept", $"The restriction is kept: {reason}");
    }

    /// <summary>When the DPO decided to lift the restriction and the requester's notice was asked for.</summary>
    public DateTimeOffset? LiftAnnouncedAt { get; set; }

    /// <summary>
    /// The DPO lifts the restriction: the reason becomes the case's outcome once the lift is done. The lift is no request
    /// with a statutory period of its own, so the case's reminders and escalation do not apply to it.
    /// </summary>
    public void AnnounceLift(string actor, string reason, DateTimeOffset now)
    {
        LiftAnnouncedAt = now;
        Outcome = $"Restriction lifted: {reason}";
        TargetReminderSent = true;
        DueReminderSent = true;
        OverdueEscalated = true;
        Record(now, actor, "restriction-lift-decided", $"The restriction is to be lifted: {reason}. The requester is told first (Art 18(3)).");
    }

    /// <summary>The requester's copy of the lift notice (not the agent's) was sent.</summary>
    public bool IsLiftNotice(string notificationKey) =>
        notificationKey == Notice.RestrictionLiftKey && Notices.Exists(n => n.Key == notificationKey);

    /// <summary>The requester was told: each store where the restriction was done gets its lift step.</summary>
    public void StartLift(DateTimeOffset now)
    {
        var restricted = Stores.Where(s => s.Action == StoreActionKind.Restrict && s.Status == StoreStatus.Completed).ToList();
        Stores.AddRange(restricted.Select(s => new StoreProgress
        {
            StoreId = s.StoreId,
            Action = StoreActionKind.LiftRestriction,
            RowsFound = s.RowsAffected,
            Status = StoreStatus.Pending,
        }));
        ClosedAt = null;
        StartStep(now);
        Record(now, CaseAudit.System, "restriction-lift-started", string.Create(CultureInfo.InvariantCulture,
            $"The requester was told of the lift; lifting the restriction in {restricted.Count} stores: {string.Join(", ", restricted.Select(s => s.StoreId))}."));
    }
}
