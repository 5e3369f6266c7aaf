using System.Globalization;
using Closely.Contracts;

namespace Closely.Cases.Saga;

// The end of a legal hold (Art 17(3), ADR 28 and 31): the rows an erasure kept are erased once their hold has ended.
public partial class CaseState
{
    /// <summary>
    /// The stores whose erasure kept rows under a legal hold that are not erased yet, each with the day its last hold
    /// ends: the held rows of a store are erased together, on that day.
    /// </summary>
    public IEnumerable<(string StoreId, DateOnly EndsOn)> OpenHolds => Stores
        .Where(s => s.Action == StoreActionKind.Erase && s.Held.Count > 0
            && !Stores.Exists(e => e.StoreId == s.StoreId && e.Action == StoreActionKind.EraseHeld))
        .Select(s => (s.StoreId, s.Held.Max(h => h.HoldEndsOn)));

    /// <summary>When the next open hold ends (the start of that day, UTC), if one is open.</summary>
    public DateTimeOffset? NextHoldEndsAt =>
        OpenHolds.Select(h => (DateTimeOffset?)new DateTimeOffset(h.EndsOn.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero)).Min();

    /// <summary>An erasure that kept held rows in a store whose hold has ended by <paramref name="now"/>.</summary>
    public bool HoldEnded(DateTimeOffset now) => OpenHolds.Any(h => h.EndsOn <= DateOnly.FromDateTime(now.UtcDateTime));

    /// <summary>
    /// The holds of some stores have ended: each gets its <see cref="StoreActionKind.EraseHeld"/> step. The erasure was
    /// answered long ago, so the case's reminders and escalation do not apply to this step.
    /// </summary>
    public void StartHeldErasure(DateTimeOffset now)
    {
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        var ended = OpenHolds.Where(h => h.EndsOn <= today).ToList();
        Stores.AddRange(ended.Select(h => new StoreProgress
        {
            StoreId = h.StoreId,
            Action = StoreActionKind.EraseHeld,
            RowsFound = Stores.First(s => s.StoreId == h.StoreId && s.Action == StoreActionKind.Erase).Held.Sum(x => x.Rows),
            Status = StoreStatus.Pending,
        }));
        ClosedAt = null;
        TargetReminderSent = true;
        DueReminderSent = true;
        OverdueEscalated = true;
        StartStep(now);
        Record(now, CaseAudit.System, "hold-ended", string.Create(CultureInfo.InvariantCulture,
            $"The legal hold ended; erasing the rows it kept in {ended.Count} stores: {string.Join(", ", ended.Select(h => $"{h.StoreId} (held until {h.EndsOn:yyyy-MM-dd})"))}."));
    }
}
