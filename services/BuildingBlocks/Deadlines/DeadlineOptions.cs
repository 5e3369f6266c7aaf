namespace Closely.BuildingBlocks.Deadlines;

/// <summary>
/// Settings for the statutory deadline computation, bound from the configuration section
/// <see cref="SectionName"/> ("Deadlines") and validated at start-up.
/// </summary>
public sealed class DeadlineOptions
{
    public const string SectionName = "Deadlines";

    /// <summary>
    /// The legal time zone (IANA id such as <c>Europe/Berlin</c>, resolved with
    /// <see cref="TimeZoneInfo.FindSystemTimeZoneById(string)"/>). Receipt dates are taken in this zone
    /// and periods end at midnight of this zone.
    /// </summary>
    public string TimeZone { get; set; } = "Europe/Berlin";

    /// <summary>
    /// How many calendar days before the legal due date the internal target lies (default 7). A target
    /// that falls on a Saturday, Sunday or public holiday moves back to the previous working day.
    /// Must not be negative.
    /// </summary>
    public int InternalTargetDaysBeforeDue { get; set; } = 7;

    /// <summary>Whether Germany's nationwide public holidays count as non-working days (default true).</summary>
    public bool UseGermanPublicHolidays { get; set; } = true;

    /// <summary>
    /// Extra holidays that recur every year, as <c>MM-dd</c> (for example <c>12-24</c>).
    /// <c>02-29</c> is accepted and applies in leap years only.
    /// </summary>
    public List<string> ExtraRecurringHolidays { get; set; } = [];

    /// <summary>Extra one-off holidays, as ISO dates <c>yyyy-MM-dd</c>.</summary>
    public List<string> ExtraHolidays { get; set; } = [];
}
