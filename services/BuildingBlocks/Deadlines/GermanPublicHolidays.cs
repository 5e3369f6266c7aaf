using System.Collections.Concurrent;
using System.Collections.Frozen;

namespace Closely.BuildingBlocks.Deadlines;

/// <summary>
/// Germany's nationwide public holidays: New Year's Day (1 Jan), Good Friday, Easter Monday, Labour Day (1 May),
/// Ascension Day, Whit Monday, German Unity Day (3 Oct) and Christmas (25 and 26 Dec). Holidays of single
/// Länder are not included; add them through <see cref="DeadlineOptions"/>. The present-day set is applied
/// to every year (no historical accuracy before 1990 is attempted).
/// </summary>
public static class GermanPublicHolidays
{
    private static readonly ConcurrentDictionary<int, FrozenSet<DateOnly>> Cache = new();

    /// <summary>The nationwide public holidays of <paramref name="year"/> (1 to 9999).</summary>
    /// <remarks>
    /// A year may have fewer than nine distinct dates: in 2008 Ascension Day fell on Labour Day.
    /// </remarks>
    public static IReadOnlySet<DateOnly> For(int year)
    {
        CheckYear(year);
        return Cache.GetOrAdd(year, Compute);
    }

    /// <summary>
    /// Easter Sunday of <paramref name="year"/> in the Gregorian calendar, by the Anonymous Gregorian
    /// (Meeus/Jones/Butcher) computus. Years before 1583 are computed in the proleptic Gregorian calendar.
    /// </summary>
    public static DateOnly EasterSunday(int year)
    {
        CheckYear(year);

        var a = year % 19;
        var b = year / 100;
        var c = year % 100;
        var d = b / 4;
        var e = b % 4;
        var f = (b + 8) / 25;
        var g = (b - f + 1) / 3;
        var h = ((19 * a) + b - d - g + 15) % 30;
        var i = c / 4;
        var k = c % 4;
        var l = (32 + (2 * e) + (2 * i) - h - k) % 7;
        var m = (a + (11 * h) + (22 * l)) / 451;
        var month = (h + l - (7 * m) + 114) / 31;
        var day = ((h + l - (7 * m) + 114) % 31) + 1;

        return new DateOnly(year, month, day);
    }

    private static FrozenSet<DateOnly> Compute(int year)
    {
        var easter = EasterSunday(year);
        DateOnly[] holidays =
        [
            new(year, 1, 1),      // New Year's Day
            easter.AddDays(-2),   // Good Friday
            easter.AddDays(1),    // Easter Monday
            new(year, 5, 1),      // Labour Day
            easter.AddDays(39),   // Ascension Day
            easter.AddDays(50),   // Whit Monday
            new(year, 10, 3),     // German Unity Day
            new(year, 12, 25),    // Christmas Day
            new(year, 12, 26),    // Second day of Christmas
        ];
        return holidays.ToFrozenSet();
    }

    private static void CheckYear(int year)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(year, DateOnly.MinValue.Year);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(year, DateOnly.MaxValue.Year);
    }
}
