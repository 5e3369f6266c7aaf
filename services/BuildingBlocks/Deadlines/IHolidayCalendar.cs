namespace Closely.BuildingBlocks.Deadlines;

/// <summary>Tells which dates are public holidays in the legal jurisdiction.</summary>
public interface IHolidayCalendar
{
    /// <summary>
    /// True when <paramref name="date"/> is a public holiday. Saturdays and Sundays are not holidays
    /// as such: they are excluded from working days separately.
    /// </summary>
    bool IsPublicHoliday(DateOnly date);
}
