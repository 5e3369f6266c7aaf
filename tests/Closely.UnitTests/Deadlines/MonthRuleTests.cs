using Closely.BuildingBlocks.Deadlines;
using static Closely.UnitTests.Deadlines.DeadlineTestData;

namespace Closely.UnitTests.Deadlines;

public class MonthRuleTests
{
    private readonly StatutoryDeadlines _deadlines = Create();

    [Theory]
    [InlineData("2027-01-31", 1, "2027-02-28")]
    [InlineData("2028-01-31", 1, "2028-02-29")]
    [InlineData("2026-03-31", 1, "2026-04-30")]
    [InlineData("2026-11-02", 1, "2026-12-02")]
    [InlineData("2026-08-31", 1, "2026-09-30")]
    [InlineData("2026-12-31", 2, "2027-02-28")]
    [InlineData("2026-11-30", 3, "2027-02-28")]
    [InlineData("2027-11-30", 3, "2028-02-29")]
    public void A_month_ends_on_the_same_date_or_else_the_last_day_of_the_month(string start, int months, string expected)
    {
        Assert.Equal(Date(expected), _deadlines.AddMonths(Date(start), months));
    }

    [Fact]
    public void Received_on_31_January_2027_is_due_on_1_March_because_28_February_is_a_Sunday()
    {
        var schedule = _deadlines.For(NoonInBerlin("2027-01-31"));

        Assert.Equal(Date("2027-01-31"), schedule.ReceivedOn);
        Assert.Equal(Date("2027-02-28"), _deadlines.AddMonths(schedule.ReceivedOn, 1));
        Assert.Equal(Date("2027-03-01"), schedule.DueOn);
        Assert.False(schedule.Extended);
    }

    [Fact]
    public void Received_on_31_January_in_a_leap_year_is_due_on_29_February()
    {
        // 2028-02-29 is a Tuesday.
        Assert.Equal(Date("2028-02-29"), _deadlines.For(NoonInBerlin("2028-01-31")).DueOn);
    }

    [Theory]
    [InlineData("2026-03-31", "2026-04-30")] // Thursday
    [InlineData("2026-11-02", "2026-12-02")] // Wednesday
    [InlineData("2026-11-30", "2026-12-30")] // Wednesday
    public void A_due_date_on_a_working_day_stays_where_the_month_rule_puts_it(string received, string due)
    {
        Assert.Equal(Date(due), _deadlines.For(NoonInBerlin(received)).DueOn);
    }
}
