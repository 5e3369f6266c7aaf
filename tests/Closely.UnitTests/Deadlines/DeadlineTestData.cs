using System.Globalization;
using Closely.BuildingBlocks.Deadlines;

namespace Closely.UnitTests.Deadlines;

internal static class DeadlineTestData
{
    public static DateOnly Date(string isoDate) =>
        DateOnly.ParseExact(isoDate, "yyyy-MM-dd", CultureInfo.InvariantCulture);

    public static DateTimeOffset Instant(string isoInstant) =>
        DateTimeOffset.Parse(isoInstant, CultureInfo.InvariantCulture, DateTimeStyles.None);

    /// <summary>Noon in Berlin on the given date: unambiguously that date whatever the season.</summary>
    public static DateTimeOffset NoonInBerlin(string isoDate) => Instant($"{isoDate}T11:00:00Z");

    public static StatutoryDeadlines Create(Action<DeadlineOptions>? configure = null)
    {
        var options = new DeadlineOptions();
        configure?.Invoke(options);
        return new StatutoryDeadlines(options, new ConfiguredHolidayCalendar(options));
    }
}
