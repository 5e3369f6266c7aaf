using static Closely.UnitTests.Deadlines.DeadlineTestData;

namespace Closely.UnitTests.Deadlines;

public class InternalTargetTests
{
    [Fact]
    public void By_default_the_internal_target_is_seven_days_before_the_due_date()
    {
        var schedule = Create().For(NoonInBerlin("2026-11-02"));

        Assert.Equal(Date("2026-12-02"), schedule.DueOn);
        Assert.Equal(Date("2026-11-25"), schedule.TargetOn);
        Assert.Equal(Instant("2026-11-25T23:00:00Z"), schedule.TargetAt);
    }

    [Fact]
    public void A_target_on_a_holiday_moves_back_to_the_previous_working_day()
    {
        // Due Monday 2027-04-05; seven days earlier is Easter Monday, then the weekend and Good Friday.
        var schedule = Create().For(NoonInBerlin("2027-03-05"));

        Assert.Equal(Date("2027-04-05"), schedule.DueOn);
        Assert.Equal(Date("2027-03-25"), schedule.TargetOn);
    }

    [Theory]
    [InlineData(0, "2026-12-02")]  // the due date itself
    [InlineData(1, "2026-12-01")]
    [InlineData(10, "2026-11-20")] // Sunday 22 November moves back to Friday 20
    [InlineData(11, "2026-11-20")] // Saturday 21 November moves back to Friday 20
    [InlineData(14, "2026-11-18")]
    public void The_days_before_due_are_configurable_and_the_target_moves_back_off_weekends(int days, string target)
    {
        var schedule = Create(o => o.InternalTargetDaysBeforeDue = days).For(NoonInBerlin("2026-11-02"));

        Assert.Equal(Date(target), schedule.TargetOn);
    }
}
