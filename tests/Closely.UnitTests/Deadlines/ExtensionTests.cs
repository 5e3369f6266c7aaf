using Closely.BuildingBlocks.Deadlines;
using static Closely.UnitTests.Deadlines.DeadlineTestData;

namespace Closely.UnitTests.Deadlines;

public class ExtensionTests
{
    private readonly StatutoryDeadlines _deadlines = Create();

    [Fact]
    public void Received_on_30_November_2026_is_due_on_30_December_and_when_extended_on_1_March_2027()
    {
        var received = NoonInBerlin("2026-11-30");

        var unextended = _deadlines.For(received);
        var extended = _deadlines.For(received, extended: true);

        Assert.Equal(Date("2026-12-30"), unextended.DueOn); // Wednesday
        Assert.False(unextended.Extended);
        Assert.Equal(Date("2027-03-01"), extended.DueOn); // 2027-02-28 is a Sunday
        Assert.Equal(Instant("2027-03-01T23:00:00Z"), extended.DueAt);
        Assert.True(extended.Extended);
        Assert.Equal(Date("2026-11-30"), extended.ReceivedOn);
    }

    [Fact]
    public void The_extended_period_is_three_months_from_receipt_not_two_months_after_the_shifted_due_date()
    {
        // One month: 2027-02-28 is a Sunday, so due Monday 1 March. Three months from receipt: Friday 30 April.
        // Adding two months to 1 March instead would give Saturday 1 May (Labour Day) and so Monday 3 May.
        var received = NoonInBerlin("2027-01-31");

        Assert.Equal(Date("2027-03-01"), _deadlines.For(received).DueOn);
        Assert.Equal(Date("2027-04-30"), _deadlines.For(received, extended: true).DueOn);
    }

    [Fact]
    public void The_internal_target_of_an_extended_request_is_counted_back_from_the_extended_due_date()
    {
        var schedule = _deadlines.For(NoonInBerlin("2027-01-31"), extended: true);

        Assert.Equal(Date("2027-04-23"), schedule.TargetOn); // Friday, 7 days before Friday 30 April
    }

    [Theory]
    [InlineData("2026-11-02T10:00:00+01:00", true)]
    [InlineData("2026-12-01T12:00:00+01:00", true)]
    [InlineData("2026-12-02T00:00:00+01:00", true)]
    [InlineData("2026-12-02T12:00:00+01:00", true)]
    [InlineData("2026-12-02T23:59:59.999+01:00", true)]
    [InlineData("2026-12-02T22:59:59Z", true)]
    [InlineData("2026-12-02T23:00:00Z", false)] // midnight in Berlin
    [InlineData("2026-12-03T00:00:00+01:00", false)]
    [InlineData("2026-12-03T12:00:00+01:00", false)]
    [InlineData("2027-01-15T12:00:00+01:00", false)]
    public void An_extension_can_be_notified_until_the_end_of_the_first_month_in_Berlin(string now, bool granted)
    {
        // Received 2026-11-02; the first month ends with Wednesday 2026-12-02.
        Assert.Equal(granted, _deadlines.CanExtend(Instant("2026-11-02T09:00:00Z"), Instant(now)));
    }

    [Fact]
    public void When_the_first_month_ends_on_a_weekend_an_extension_can_still_be_notified_on_the_next_working_day()
    {
        // Received 2027-01-31: the month's last day, Sunday 28 February, moves to Monday 1 March.
        var received = NoonInBerlin("2027-01-31");

        Assert.True(_deadlines.CanExtend(received, Instant("2027-03-01T18:00:00+01:00")));
        Assert.False(_deadlines.CanExtend(received, Instant("2027-03-02T00:00:00+01:00")));
    }
}
