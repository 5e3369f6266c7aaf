using Closely.BuildingBlocks.Deadlines;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using static Closely.UnitTests.Deadlines.DeadlineTestData;

namespace Closely.UnitTests.Deadlines;

public class DeadlineConfigurationTests
{
    [Fact]
    public void An_extra_recurring_holiday_on_Christmas_Eve_shifts_the_due_date_past_Christmas()
    {
        var deadlines = Create(o => o.ExtraRecurringHolidays.Add("12-24"));

        // 2026-12-24 (Thursday), 25 and 26 holidays, 27 Sunday.
        Assert.Equal(Date("2026-12-28"), deadlines.For(NoonInBerlin("2026-11-24")).DueOn);
        Assert.Equal(Date("2027-12-27"), deadlines.For(NoonInBerlin("2027-11-24")).DueOn);
    }

    [Fact]
    public void An_extra_one_off_holiday_shifts_the_due_date_in_its_year_only()
    {
        var deadlines = Create(o => o.ExtraHolidays.Add("2026-12-02"));

        Assert.Equal(Date("2026-12-03"), deadlines.For(NoonInBerlin("2026-11-02")).DueOn);
        Assert.Equal(Date("2027-12-02"), deadlines.For(NoonInBerlin("2027-11-02")).DueOn);
    }

    [Fact]
    public void Without_German_public_holidays_Good_Friday_is_a_working_day()
    {
        var deadlines = Create(o => o.UseGermanPublicHolidays = false);

        Assert.Equal(Date("2027-03-26"), deadlines.For(NoonInBerlin("2027-02-26")).DueOn);
    }

    [Fact]
    public void A_recurring_29_February_is_a_holiday_in_leap_years_only()
    {
        var calendar = new ConfiguredHolidayCalendar(new DeadlineOptions { ExtraRecurringHolidays = ["02-29"] });

        Assert.True(calendar.IsPublicHoliday(Date("2028-02-29")));
        Assert.False(calendar.IsPublicHoliday(Date("2027-02-28")));
        Assert.False(calendar.IsPublicHoliday(Date("2027-03-01")));
    }

    [Fact]
    public void The_configured_calendar_combines_German_holidays_and_extras()
    {
        var calendar = new ConfiguredHolidayCalendar(new DeadlineOptions
        {
            ExtraRecurringHolidays = [" 12-31 "],
            ExtraHolidays = ["2026-08-15"],
        });

        Assert.True(calendar.IsPublicHoliday(Date("2026-10-03")));
        Assert.True(calendar.IsPublicHoliday(Date("2030-12-31")));
        Assert.True(calendar.IsPublicHoliday(Date("2026-08-15")));
        Assert.False(calendar.IsPublicHoliday(Date("2027-08-15")));
        Assert.False(calendar.IsPublicHoliday(Date("2026-12-24")));
    }

    [Fact]
    public void Services_are_bound_from_the_Deadlines_section_and_registered_as_singletons()
    {
        using var provider = BuildProvider(new Dictionary<string, string?>
        {
            ["Deadlines:TimeZone"] = "Europe/London",
            ["Deadlines:InternalTargetDaysBeforeDue"] = "14",
            ["Deadlines:ExtraHolidays:0"] = "2026-12-02",
        });
        provider.GetRequiredService<IStartupValidator>().Validate();

        var deadlines = provider.GetRequiredService<StatutoryDeadlines>();
        var schedule = deadlines.For(Instant("2026-11-02T12:00:00Z"));

        Assert.Same(deadlines, provider.GetRequiredService<StatutoryDeadlines>());
        Assert.Same(provider.GetRequiredService<IHolidayCalendar>(), provider.GetRequiredService<IHolidayCalendar>());
        Assert.IsType<ConfiguredHolidayCalendar>(provider.GetRequiredService<IHolidayCalendar>());
        Assert.Equal(Date("2026-12-03"), schedule.DueOn);
        Assert.Equal(Instant("2026-12-04T00:00:00Z"), schedule.DueAt); // London is on UTC in winter
        Assert.Equal(Date("2026-11-19"), schedule.TargetOn);
    }

    [Fact]
    public void Without_a_Deadlines_section_the_defaults_apply()
    {
        using var provider = BuildProvider([]);
        provider.GetRequiredService<IStartupValidator>().Validate();

        var options = provider.GetRequiredService<IOptions<DeadlineOptions>>().Value;
        var schedule = provider.GetRequiredService<StatutoryDeadlines>().For(NoonInBerlin("2026-11-02"));

        Assert.Equal("Europe/Berlin", options.TimeZone);
        Assert.Equal(7, options.InternalTargetDaysBeforeDue);
        Assert.Equal(Instant("2026-12-02T23:00:00Z"), schedule.DueAt);
        Assert.Equal(Date("2026-11-25"), schedule.TargetOn);
    }

    [Theory]
    [InlineData("Deadlines:TimeZone", "Mars/Olympus_Mons", "TimeZone")]
    [InlineData("Deadlines:TimeZone", " ", "TimeZone")]
    [InlineData("Deadlines:ExtraHolidays:0", "2026-02-30", "ExtraHolidays")]
    [InlineData("Deadlines:ExtraHolidays:0", "24.12.2026", "ExtraHolidays")]
    [InlineData("Deadlines:ExtraRecurringHolidays:0", "24.12.", "ExtraRecurringHolidays")]
    [InlineData("Deadlines:ExtraRecurringHolidays:0", "13-01", "ExtraRecurringHolidays")]
    [InlineData("Deadlines:ExtraRecurringHolidays:0", "02-30", "ExtraRecurringHolidays")]
    [InlineData("Deadlines:ExtraRecurringHolidays:0", "12-24x", "ExtraRecurringHolidays")]
    [InlineData("Deadlines:ExtraRecurringHolidays:0", "2026-12-24", "ExtraRecurringHolidays")]
    [InlineData("Deadlines:InternalTargetDaysBeforeDue", "-1", "InternalTargetDaysBeforeDue")]
    public void Start_up_validation_rejects_a_bad_setting_with_a_message_naming_the_value(string key, string value, string setting)
    {
        using var provider = BuildProvider(new Dictionary<string, string?> { [key] = value });

        var error = Assert.Throws<OptionsValidationException>(
            () => provider.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains($"'{value}'", error.Message, StringComparison.Ordinal);
        Assert.Contains(setting, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Start_up_validation_reports_every_bad_setting_at_once()
    {
        using var provider = BuildProvider(new Dictionary<string, string?>
        {
            ["Deadlines:TimeZone"] = "Europe/Atlantis",
            ["Deadlines:ExtraHolidays:0"] = "2026-13-01",
        });

        var error = Assert.Throws<OptionsValidationException>(
            () => provider.GetRequiredService<IStartupValidator>().Validate());

        Assert.Equal(2, error.Failures.Count());
        Assert.Contains("'Europe/Atlantis'", error.Message, StringComparison.Ordinal);
        Assert.Contains("'2026-13-01'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructing_directly_with_a_bad_setting_fails_naming_the_value()
    {
        var badZone = Assert.Throws<ArgumentException>(
            () => new StatutoryDeadlines(new DeadlineOptions { TimeZone = "Mars/Olympus_Mons" }, new ConfiguredHolidayCalendar(new DeadlineOptions())));
        var badDate = Assert.Throws<ArgumentException>(
            () => new ConfiguredHolidayCalendar(new DeadlineOptions { ExtraHolidays = ["2026-12-32"] }));

        Assert.Contains("'Mars/Olympus_Mons'", badZone.Message, StringComparison.Ordinal);
        Assert.Contains("'2026-12-32'", badDate.Message, StringComparison.Ordinal);
    }

    private static ServiceProvider BuildProvider(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        return new ServiceCollection().AddStatutoryDeadlines(configuration).BuildServiceProvider();
    }
}
