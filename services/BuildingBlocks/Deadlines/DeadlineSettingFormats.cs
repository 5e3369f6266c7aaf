using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Closely.BuildingBlocks.Deadlines;

/// <summary>
/// Parsing of the <see cref="DeadlineOptions"/> values and the messages that name a bad one, shared by
/// start-up validation and the constructors so both report the same thing.
/// </summary>
internal static class DeadlineSettingFormats
{
    public const string RecurringHolidayFormat = "MM-dd";
    public const string HolidayFormat = "yyyy-MM-dd";

    /// <summary>Parses <c>MM-dd</c>; <c>02-29</c> is accepted (it applies in leap years only).</summary>
    public static bool TryParseRecurringHoliday(string? value, out (int Month, int Day) monthDay)
    {
        monthDay = default;
        var text = value?.Trim();
        if (text is not { Length: 5 } || text[2] != '-'
            || !char.IsAsciiDigit(text[0]) || !char.IsAsciiDigit(text[1])
            || !char.IsAsciiDigit(text[3]) || !char.IsAsciiDigit(text[4]))
        {
            return false;
        }

        var month = ((text[0] - '0') * 10) + (text[1] - '0');
        var day = ((text[3] - '0') * 10) + (text[4] - '0');

        // 2000 is a leap year, so 29 February is a valid recurring day.
        if (month is < 1 or > 12 || day < 1 || day > DateTime.DaysInMonth(2000, month))
        {
            return false;
        }

        monthDay = (month, day);
        return true;
    }

    /// <summary>Parses an ISO date <c>yyyy-MM-dd</c>.</summary>
    public static bool TryParseHoliday(string? value, out DateOnly date) =>
        DateOnly.TryParseExact(
            value?.Trim(),
            HolidayFormat,
            CultureInfo.InvariantCulture,
            DateTimeStyles.None,
            out date);

    public static bool TryFindTimeZone(string? id, [NotNullWhen(true)] out TimeZoneInfo? timeZone)
    {
        timeZone = null;
        return !string.IsNullOrWhiteSpace(id) && TimeZoneInfo.TryFindSystemTimeZoneById(id.Trim(), out timeZone);
    }

    public static string UnknownTimeZone(string? id) =>
        $"{DeadlineOptions.SectionName}:{nameof(DeadlineOptions.TimeZone)} '{id}' is not a time zone known to this system; "
        + "use an IANA time zone id such as 'Europe/Berlin'.";

    public static string MalformedRecurringHoliday(string? value) =>
        $"{DeadlineOptions.SectionName}:{nameof(DeadlineOptions.ExtraRecurringHolidays)} contains '{value}', "
        + $"which is not a month and day in the form {RecurringHolidayFormat} (for example '12-24').";

    public static string MalformedHoliday(string? value) =>
        $"{DeadlineOptions.SectionName}:{nameof(DeadlineOptions.ExtraHolidays)} contains '{value}', "
        + $"which is not a date in the form {HolidayFormat} (for example '2026-12-24').";

    public static string NegativeTargetDays(int days) =>
        $"{DeadlineOptions.SectionName}:{nameof(DeadlineOptions.InternalTargetDaysBeforeDue)} must not be negative, but is '{days}'.";

    /// <summary>Every problem with <paramref name="options"/>, each naming the offending value; empty when valid.</summary>
    public static List<string> Problems(DeadlineOptions options)
    {
        var problems = new List<string>();

        if (!TryFindTimeZone(options.TimeZone, out _))
        {
            problems.Add(UnknownTimeZone(options.TimeZone));
        }

        if (options.InternalTargetDaysBeforeDue < 0)
        {
            problems.Add(NegativeTargetDays(options.InternalTargetDaysBeforeDue));
        }

        foreach (var value in options.ExtraRecurringHolidays ?? [])
        {
            if (!TryParseRecurringHoliday(value, out _))
            {
                problems.Add(MalformedRecurringHoliday(value));
            }
        }

        foreach (var value in options.ExtraHolidays ?? [])
        {
            if (!TryParseHoliday(value, out _))
            {
                problems.Add(MalformedHoliday(value));
            }
        }

        return problems;
    }
}
