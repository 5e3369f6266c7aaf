using System.Collections.Frozen;

namespace Closely.BuildingBlocks.Deadlines;

/// <summary>
/// The holiday calendar described by <see cref="DeadlineOptions"/>: Germany's nationwide public holidays
/// (unless <see cref="DeadlineOptions.UseGermanPublicHolidays"/> is false), plus the extra recurring
/// (<c>MM-dd</c>) and one-off (<c>yyyy-MM-dd</c>) holidays.
/// </summary>
public sealed class ConfiguredHolidayCalendar : IHolidayCalendar
{
    private readonly bool _useGermanPublicHolidays;
    private readonly FrozenSet<(int Month, int Day)> _recurring;
    private readonly FrozenSet<DateOnly> _oneOff;

    /// <exception cref="ArgumentException">An extra holiday is malformed; the message names it.</exception>
    public ConfiguredHolidayCalendar(DeadlineOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);

        _useGermanPublicHolidays = options.UseGermanPublicHolidays;

        var recurring = new HashSet<(int Month, int Day)>();
        foreach (var value in options.ExtraRecurringHolidays ?? [])
        {
            if (!DeadlineSettingFormats.TryParseRecurringHoliday(value, out var monthDay))
            {
                throw new ArgumentException(DeadlineSettingFormats.MalformedRecurringHoliday(value), nameof(options));
            }

            recurring.Add(monthDay);
        }

        var oneOff = new HashSet<DateOnly>();
        foreach (var value in options.ExtraHolidays ?? [])
        {
            if (!DeadlineSettingFormats.TryParseHoliday(value, out var date))
            {
                throw new ArgumentException(DeadlineSettingFormats.MalformedHoliday(value), nameof(options));
            }

            oneOff.Add(date);
        }

        _recurring = recurring.ToFrozenSet();
        _oneOff = oneOff.ToFrozenSet();
    }

    public bool IsPublicHoliday(DateOnly date) =>
        _oneOff.Contains(date)
        || _recurring.Contains((date.Month, date.Day))
        || (_useGermanPublicHolidays && GermanPublicHolidays.For(date.Year).Contains(date));
}
