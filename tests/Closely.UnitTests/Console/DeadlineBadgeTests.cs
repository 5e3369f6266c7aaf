using Closely.Cases.DpoConsole;

namespace Closely.UnitTests.DpoConsole;

public sealed class DeadlineBadgeTests
{
    private static readonly DateTimeOffset DueAt = new(2026, 12, 2, 23, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(-10.5, "10 days left", "")]
    [InlineData(-3.2, "3 days left", "soon")]
    [InlineData(-1.5, "1 day left", "soon")]
    [InlineData(-0.2, "due today", "soon")]
    [InlineData(0, "overdue", "overdue")]
    [InlineData(2.5, "overdue by 3 days", "overdue")]
    public void An_open_case_shows_the_days_left_or_that_it_is_overdue(double daysAfterDue, string text, string cssClass)
    {
        var badge = DeadlineBadge.For(DueAt, closed: false, DueAt.AddDays(daysAfterDue));

        Assert.Equal(new DeadlineBadge(text, cssClass), badge);
    }

    [Fact]
    public void A_closed_case_shows_no_deadline_even_past_its_due_date()
    {
        Assert.Equal("closed", DeadlineBadge.For(DueAt, closed: true, DueAt.AddDays(5)).Text);
    }
}
