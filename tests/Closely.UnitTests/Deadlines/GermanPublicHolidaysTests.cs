using Closely.BuildingBlocks.Deadlines;
using static Closely.UnitTests.Deadlines.DeadlineTestData;

namespace Closely.UnitTests.Deadlines;

public class GermanPublicHolidaysTests
{
    [Theory]
    [InlineData(2024, "2024-03-31")]
    [InlineData(2025, "2025-04-20")]
    [InlineData(2026, "2026-04-05")]
    [InlineData(2027, "2027-03-28")]
    [InlineData(2038, "2038-04-25")]
    [InlineData(2008, "2008-03-23")]
    [InlineData(2011, "2011-04-24")]
    [InlineData(2000, "2000-04-23")]
    [InlineData(1818, "1818-03-22")] // earliest possible date
    [InlineData(1943, "1943-04-25")] // latest possible date
    [InlineData(2285, "2285-03-22")]
    [InlineData(1954, "1954-04-18")] // years in which the computus' m correction applies
    [InlineData(1981, "1981-04-19")]
    [InlineData(2049, "2049-04-18")]
    [InlineData(2076, "2076-04-19")]
    public void Easter_Sunday_follows_the_Gregorian_computus(int year, string easter)
    {
        Assert.Equal(Date(easter), GermanPublicHolidays.EasterSunday(year));
    }

    [Fact]
    public void The_nationwide_holidays_of_2027_are_exactly_the_nine_expected_dates()
    {
        string[] expected =
        [
            "2027-01-01", // New Year's Day
            "2027-03-26", // Good Friday
            "2027-03-29", // Easter Monday
            "2027-05-01", // Labour Day
            "2027-05-06", // Ascension Day
            "2027-05-17", // Whit Monday
            "2027-10-03", // German Unity Day
            "2027-12-25", // Christmas Day
            "2027-12-26", // Second day of Christmas
        ];

        Assert.Equal(expected.Select(Date).Order(), GermanPublicHolidays.For(2027).Order());
    }

    [Fact]
    public void In_2008_Ascension_Day_fell_on_Labour_Day_so_the_year_has_eight_distinct_holidays()
    {
        var holidays = GermanPublicHolidays.For(2008);

        Assert.Equal(8, holidays.Count);
        Assert.Contains(Date("2008-05-01"), holidays);
        Assert.Contains(Date("2008-05-12"), holidays); // Whit Monday
    }

    [Theory]
    [InlineData("2026-12-24")]
    [InlineData("2026-12-31")]
    [InlineData("2026-10-31")] // Reformation Day: only some Länder
    [InlineData("2026-06-04")] // Corpus Christi: only some Länder
    [InlineData("2026-04-05")] // Easter Sunday is a Sunday, not a listed holiday
    public void Regional_and_customary_days_off_are_not_nationwide_holidays(string date)
    {
        Assert.DoesNotContain(Date(date), GermanPublicHolidays.For(Date(date).Year));
    }
}
