using System.Globalization;

namespace Closely.Cases.DpoConsole;

/// <summary>The deadline of a case at a glance: days left, overdue, or closed.</summary>
public sealed record DeadlineBadge(string Text, string CssClass)
{
    public static DeadlineBadge For(DateTimeOffset dueAt, bool closed, DateTimeOffset now)
    {
        if (closed)
        {
            return new("closed", "closed");
        }

        if (dueAt <= now)
        {
            var days = (int)Math.Floor((now - dueAt).TotalDays);
            return new(days == 0 ? "overdue" : string.Create(CultureInfo.InvariantCulture, $"overdue by {days + 1} days"), "overdue");
        }

        // The period ends at the end of the due date: less than a day left means it is due today.
        var left = (int)Math.Floor((dueAt - now).TotalDays);
        return left switch
        {
            0 => new("due today", "soon"),
            1 => new("1 day left", "soon"),
            < 7 => new(string.Create(CultureInfo.InvariantCulture, $"{left} days left"), "soon"),
            _ => new(string.Create(CultureInfo.InvariantCulture, $"{left} days left"), ""),
        };
    }
}
