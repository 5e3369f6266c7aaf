using Closely.BuildingBlocks.Deadlines;
using static Closely.UnitTests.Deadlines.DeadlineTestData;

namespace Closely.UnitTests.Deadlines;

public class LegalTimeZoneTests
{
    private readonly StatutoryDeadlines _deadlines = Create();

    [Theory]
    [InlineData("2027-01-31T23:30:00Z", "2027-02-01")] // 00:30 on 1 February in Berlin (CET)
    [InlineData("2027-01-31T22:59:59Z", "2027-01-31")] // 23:59:59 on 31 January in Berlin
    [InlineData("2026-07-01T22:00:00Z", "2026-07-02")] // midnight in Berlin (CEST)
    [InlineData("2026-07-01T21:59:59Z", "2026-07-01")]
    [InlineData("2026-11-02T00:30:00+01:00", "2026-11-02")]
    [InlineData("2026-11-01T20:30:00-05:00", "2026-11-02")] // 02:30 in Berlin
    public void The_receipt_date_is_the_date_in_the_legal_time_zone(string receivedAt, string receivedOn)
    {
        Assert.Equal(Date(receivedOn), _deadlines.For(Instant(receivedAt)).ReceivedOn);
    }

    [Fact]
    public void A_request_received_late_in_the_evening_UTC_runs_from_the_next_day_in_Berlin()
    {
        // 2026-11-01 23:30 UTC is 2026-11-02 00:30 in Berlin: due 2 December, not 1 December.
        var schedule = _deadlines.For(Instant("2026-11-01T23:30:00Z"));

        Assert.Equal(Date("2026-11-02"), schedule.ReceivedOn);
        Assert.Equal(Date("2026-12-02"), schedule.DueOn);
        Assert.Equal(Date("2026-12-01"), _deadlines.For(Instant("2026-11-01T22:30:00Z")).DueOn);
    }

    [Fact]
    public void In_winter_the_period_ends_at_midnight_Berlin_which_is_23_00_UTC_on_the_due_date()
    {
        var schedule = _deadlines.For(NoonInBerlin("2026-11-02"));

        Assert.Equal(Date("2026-12-02"), schedule.DueOn);
        Assert.Equal(Instant("2026-12-02T23:00:00Z"), schedule.DueAt);
        Assert.Equal(TimeSpan.Zero, schedule.DueAt.Offset);
    }

    [Fact]
    public void In_summer_the_period_ends_at_midnight_Berlin_which_is_22_00_UTC_on_the_due_date()
    {
        var schedule = _deadlines.For(NoonInBerlin("2026-06-02"));

        Assert.Equal(Date("2026-07-02"), schedule.DueOn);
        Assert.Equal(Instant("2026-07-02T22:00:00Z"), schedule.DueAt);
        Assert.Equal(TimeSpan.Zero, schedule.DueAt.Offset);
    }

    [Fact]
    public void The_internal_target_ends_at_midnight_Berlin_after_the_target_date_in_UTC()
    {
        // Due Monday 2027-04-05 (summer time since 28 March); target 7 days earlier is Easter Monday,
        // so it moves back past the weekend and Good Friday to Thursday 25 March (still winter time).
        var schedule = _deadlines.For(NoonInBerlin("2027-03-05"));

        Assert.Equal(Instant("2027-04-05T22:00:00Z"), schedule.DueAt);
        Assert.Equal(Date("2027-03-25"), schedule.TargetOn);
        Assert.Equal(Instant("2027-03-25T23:00:00Z"), schedule.TargetAt);
        Assert.Equal(TimeSpan.Zero, schedule.TargetAt.Offset);
    }

    [Fact]
    public void Where_clocks_spring_forward_over_midnight_the_period_ends_when_the_next_day_actually_starts()
    {
        // In Amman on 2021-03-26 the clocks went from 00:00 straight to 01:00 (+02:00 to +03:00).
        var deadlines = Create(o => { o.TimeZone = "Asia/Amman"; o.UseGermanPublicHolidays = false; });

        var schedule = deadlines.For(Instant("2021-02-25T10:00:00Z"));

        Assert.Equal(Date("2021-03-25"), schedule.DueOn); // Thursday
        Assert.Equal(Instant("2021-03-25T22:00:00Z"), schedule.DueAt);
    }

    [Fact]
    public void Where_clocks_fall_back_over_midnight_the_period_ends_at_the_first_midnight()
    {
        // In Amman on 2021-10-29 the clocks went from 01:00 back to 00:00 (+03:00 to +02:00).
        var deadlines = Create(o => { o.TimeZone = "Asia/Amman"; o.UseGermanPublicHolidays = false; });

        var schedule = deadlines.For(Instant("2021-09-28T10:00:00Z"));

        Assert.Equal(Date("2021-10-28"), schedule.DueOn); // Thursday
        Assert.Equal(Instant("2021-10-28T21:00:00Z"), schedule.DueAt);
    }
}
