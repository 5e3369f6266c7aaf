namespace Closely.BuildingBlocks.Deadlines;

/// <summary>
/// The time limits of Art 12(3) GDPR, computed under Regulation (EEC, Euratom) No 1182/71:
/// <list type="bullet">
/// <item>A period of months ends on the same date of the last month as the date of receipt; if that
/// date does not exist there, on the last day of that month (Art 3(2)(c)). The day of receipt itself is
/// not counted (Art 3(1)), which the same-date rule already reflects.</item>
/// <item>If that last day is a Saturday, Sunday or public holiday, the period ends at the end of the next
/// working day (Art 3(4)).</item>
/// <item>The period ends with the expiry of the last hour of its last day; as an instant that is the
/// start of the following day in the legal time zone.</item>
/// </list>
/// The receipt date is the calendar date of the receipt instant in the legal time zone.
/// </summary>
public sealed class StatutoryDeadlines
{
    /// <summary>No calendar has this many consecutive non-working days; more means a misconfiguration.</summary>
    private const int MaxConsecutiveNonWorkingDays = 366;

    private readonly IHolidayCalendar _calendar;
    private readonly TimeZoneInfo _timeZone;
    private readonly int _targetDaysBeforeDue;

    /// <exception cref="ArgumentException">
    /// The time zone is unknown or the target days are negative; the message names the value.
    /// </exception>
    public StatutoryDeadlines(DeadlineOptions options, IHolidayCalendar calendar)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(calendar);

        if (!DeadlineSettingFormats.TryFindTimeZone(options.TimeZone, out var timeZone))
        {
            throw new ArgumentException(DeadlineSettingFormats.UnknownTimeZone(options.TimeZone), nameof(options));
        }

        if (options.InternalTargetDaysBeforeDue < 0)
        {
            throw new ArgumentException(
                DeadlineSettingFormats.NegativeTargetDays(options.InternalTargetDaysBeforeDue), nameof(options));
        }

        _calendar = calendar;
        _timeZone = timeZone;
        _targetDaysBeforeDue = options.InternalTargetDaysBeforeDue;
    }

    /// <summary>The legal time zone: dates of receipt and due dates are days in this zone.</summary>
    public TimeZoneInfo TimeZone => _timeZone;

    /// <summary>
    /// The deadlines of a request received at <paramref name="receivedAt"/>: one month from the receipt date,
    /// or three months when <paramref name="extended"/> (the extension by two further months is counted from
    /// the receipt date, not added to the already shifted one-month due date).
    /// The internal target lies <see cref="DeadlineOptions.InternalTargetDaysBeforeDue"/> calendar days before
    /// the due date, moved back to the previous working day if it is not one.
    /// </summary>
    public DeadlineSchedule For(DateTimeOffset receivedAt, bool extended = false)
    {
        var receivedOn = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(receivedAt, _timeZone).DateTime);
        var dueOn = NextWorkingDayFrom(AddMonths(receivedOn, extended ? 3 : 1));
        var targetOn = PreviousWorkingDayFrom(dueOn.AddDays(-_targetDaysBeforeDue));

        return new DeadlineSchedule(
            receivedOn,
            dueOn,
            EndOfDay(dueOn),
            targetOn,
            EndOfDay(targetOn),
            extended);
    }

    /// <summary>
    /// Whether the controller may still extend the period of a request received at
    /// <paramref name="receivedAt"/>: Art 12(3) GDPR requires the data subject to be informed of the extension
    /// "within one month of receipt of the request".
    /// </summary>
    /// <remarks>
    /// Interpretation: that month is itself a period under Regulation 1182/71, so the same rules apply as to
    /// the one-month reply deadline, including the shift of a last day on a Saturday, Sunday or public holiday
    /// to the next working day (Art 3(4)). The extension can therefore be notified while <paramref name="now"/>
    /// is strictly before the unextended <see cref="DeadlineSchedule.DueAt"/>, i.e. until the end of the
    /// one-month due date in the legal time zone. Example: received 2026-11-02, the month ends with
    /// Wednesday 2026-12-02, so an extension asked at any time on 2026-12-02 (Berlin) is granted and one asked
    /// on 2026-12-03 is refused. Received 2027-01-31, the month's last day 2027-02-28 is a Sunday, so an
    /// extension can still be notified on Monday 2027-03-01.
    /// </remarks>
    public bool CanExtend(DateTimeOffset receivedAt, DateTimeOffset now) => now < For(receivedAt).DueAt;

    /// <summary>
    /// The bare month rule of Art 3(2)(c) Regulation 1182/71, before any working-day shift: the same date
    /// <paramref name="months"/> months later, or the last day of that month when the date does not exist
    /// there (2027-01-31 plus one month is 2027-02-28; 2028-01-31 plus one month is 2028-02-29).
    /// </summary>
    public DateOnly AddMonths(DateOnly start, int months) => start.AddMonths(months);

    /// <summary>
    /// <paramref name="date"/> itself when it is a working day, otherwise the first working day after it.
    /// A working day is any day other than a Saturday, a Sunday or a public holiday of the calendar.
    /// </summary>
    public DateOnly NextWorkingDayFrom(DateOnly date) => MoveToWorkingDay(date, 1);

    private DateOnly PreviousWorkingDayFrom(DateOnly date) => MoveToWorkingDay(date, -1);

    private DateOnly MoveToWorkingDay(DateOnly date, int step)
    {
        for (var i = 0; i < MaxConsecutiveNonWorkingDays; i++)
        {
            if (IsWorkingDay(date))
            {
                return date;
            }

            date = date.AddDays(step);
        }

        throw new InvalidOperationException(
            $"The holiday calendar has no working day within {MaxConsecutiveNonWorkingDays} days of {date:O}.");
    }

    private bool IsWorkingDay(DateOnly date) =>
        date.DayOfWeek is not (DayOfWeek.Saturday or DayOfWeek.Sunday) && !_calendar.IsPublicHoliday(date);

    /// <summary>The end of <paramref name="date"/> in the legal time zone: the instant the next day starts, in UTC.</summary>
    private DateTimeOffset EndOfDay(DateOnly date) => StartOfDay(date.AddDays(1));

    /// <summary>
    /// The first instant of <paramref name="date"/> in the legal time zone, in UTC: usually local midnight;
    /// where the clocks spring forward over midnight, the end of the gap; where they fall back over midnight,
    /// the first of the two midnights.
    /// </summary>
    /// <remarks>
    /// Only UTC-to-local conversions are used. Local-to-UTC lookups (<see cref="TimeZoneInfo.IsInvalidTime(DateTime)"/>,
    /// <see cref="TimeZoneInfo.IsAmbiguousTime(DateTime)"/>, <see cref="TimeZoneInfo.GetUtcOffset(DateTime)"/> on a
    /// local time) misjudge transitions that happen at midnight for some zones (seen with Asia/Amman on Linux).
    /// The candidates are local midnight at the offset in force a day before and a day after; the day starts at
    /// the earliest candidate whose local date is already <paramref name="date"/>.
    /// </remarks>
    private DateTimeOffset StartOfDay(DateOnly date)
    {
        var midnight = date.ToDateTime(TimeOnly.MinValue, DateTimeKind.Unspecified);
        var roughly = new DateTimeOffset(midnight, _timeZone.BaseUtcOffset);

        TimeSpan[] offsets = [_timeZone.GetUtcOffset(roughly.AddDays(-1)), _timeZone.GetUtcOffset(roughly.AddDays(1))];

        DateTimeOffset? start = null;
        foreach (var offset in offsets)
        {
            var candidate = new DateTimeOffset(midnight, offset);
            var localDate = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(candidate, _timeZone).DateTime);
            if (localDate >= date && (start is null || candidate < start))
            {
                start = candidate;
            }
        }

        // Unreachable unless the zone changes its offset twice within two days.
        start ??= new DateTimeOffset(midnight, _timeZone.GetUtcOffset(roughly));

        return start.Value.ToUniversalTime();
    }
}
