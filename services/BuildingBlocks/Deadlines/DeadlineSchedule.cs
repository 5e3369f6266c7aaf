namespace Closely.BuildingBlocks.Deadlines;

/// <summary>The statutory and internal deadlines of one data subject request.</summary>
/// <param name="ReceivedOn">The date of receipt in the legal time zone.</param>
/// <param name="DueOn">
/// The last day of the period (one month, or three months when <paramref name="Extended"/>), after the
/// shift off Saturdays, Sundays and public holidays.
/// </param>
/// <param name="DueAt">
/// The instant the period ends: the end of <paramref name="DueOn"/>, i.e. the start of the following day
/// in the legal time zone, expressed in UTC (offset zero). A reply is in time while it is strictly before this instant.
/// </param>
/// <param name="TargetOn">The internal target date, always a working day.</param>
/// <param name="TargetAt">The end of <paramref name="TargetOn"/> (start of the following day in the legal time zone), in UTC.</param>
/// <param name="Extended">Whether the period has been extended by two further months (Art 12(3) GDPR).</param>
public sealed record DeadlineSchedule(
    DateOnly ReceivedOn,
    DateOnly DueOn,
    DateTimeOffset DueAt,
    DateOnly TargetOn,
    DateTimeOffset TargetAt,
    bool Extended);
