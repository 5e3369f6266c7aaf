using Closely.BuildingBlocks.Deadlines;
using static Closely.UnitTests.Deadlines.DeadlineTestData;

namespace Closely.UnitTests.Deadlines;

public class WorkingDayShiftTests
{
    private readonly StatutoryDeadlines _deadlines = Create();

    [Theory]
    [InlineData("2026-05-13", "2026-06-15")] // 2026-06-13 is a Saturday
    [InlineData("2027-01-31", "2027-03-01")] // 2027-02-28 is a Sunday
    public void A_due_date_on_a_weekend_moves_to_the_Monday(string received, string due)
    {
        Assert.Equal(Date(due), _deadlines.For(NoonInBerlin(received)).DueOn);
    }

    [Fact]
    public void A_due_date_on_Good_Friday_2027_moves_past_Easter_Monday_to_Tuesday()
    {
        // 2027-03-26 Good Friday, 27-28 weekend, 29 Easter Monday.
        Assert.Equal(Date("2027-03-30"), _deadlines.For(NoonInBerlin("2027-02-26")).DueOn);
    }

    [Theory]
    [InlineData("2025-11-25", "2025-12-29")] // Thu 25 Dec, Fri 26 Dec, weekend
    [InlineData("2026-11-25", "2026-12-28")] // Fri 25 Dec, Sat 26 Dec, Sun 27 Dec
    [InlineData("2027-11-25", "2027-12-27")] // Sat 25 Dec, Sun 26 Dec
    public void A_due_date_on_Christmas_Day_moves_past_the_second_day_of_Christmas_and_the_weekend(string received, string due)
    {
        Assert.Equal(Date(due), _deadlines.For(NoonInBerlin(received)).DueOn);
    }

    [Theory]
    [InlineData("2024-09-03", "2024-10-04")] // Thursday 3 Oct -> Friday
    [InlineData("2028-09-03", "2028-10-04")] // Tuesday 3 Oct -> Wednesday
    [InlineData("2025-09-03", "2025-10-06")] // Friday 3 Oct -> Monday
    public void A_due_date_on_German_Unity_Day_moves_to_the_next_working_day(string received, string due)
    {
        Assert.Equal(Date(due), _deadlines.For(NoonInBerlin(received)).DueOn);
    }

    [Theory]
    [InlineData("2026-12-01", "2027-01-04")] // New Year's Day, a Friday
    [InlineData("2027-04-06", "2027-05-07")] // Ascension Day, Thursday 6 May 2027
    [InlineData("2027-04-17", "2027-05-18")] // Whit Monday, 17 May 2027
    [InlineData("2029-04-01", "2029-05-02")] // Labour Day, Tuesday 1 May 2029
    public void A_due_date_on_another_nationwide_holiday_moves_to_the_next_working_day(string received, string due)
    {
        Assert.Equal(Date(due), _deadlines.For(NoonInBerlin(received)).DueOn);
    }

    [Fact]
    public void Christmas_Eve_is_a_working_day_unless_configured()
    {
        // 2026-12-24 is a Thursday.
        Assert.Equal(Date("2026-12-24"), _deadlines.For(NoonInBerlin("2026-11-24")).DueOn);
    }

    [Theory]
    [InlineData("2026-12-02", "2026-12-02")] // Wednesday
    [InlineData("2026-12-05", "2026-12-07")] // Saturday
    [InlineData("2026-12-06", "2026-12-07")] // Sunday
    [InlineData("2027-03-26", "2027-03-30")] // Good Friday
    [InlineData("2026-12-31", "2026-12-31")] // New Year's Eve is not a holiday
    public void The_next_working_day_from_a_date_is_the_date_itself_or_else_the_first_working_day_after_it(string date, string expected)
    {
        Assert.Equal(Date(expected), _deadlines.NextWorkingDayFrom(Date(date)));
    }
}
