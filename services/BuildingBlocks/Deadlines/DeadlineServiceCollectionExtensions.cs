using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Closely.BuildingBlocks.Deadlines;

public static class DeadlineServiceCollectionExtensions
{
    /// <summary>
    /// Binds <see cref="DeadlineOptions"/> from the configuration section "Deadlines", validates it when the
    /// host starts (unknown time zone, malformed extra holidays and negative target days fail start-up with a
    /// message naming the value), and registers <see cref="IHolidayCalendar"/> (a
    /// <see cref="ConfiguredHolidayCalendar"/>) and <see cref="StatutoryDeadlines"/> as singletons.
    /// An <see cref="IHolidayCalendar"/> registered earlier is kept.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configuration">The configuration root that holds the "Deadlines" section.</param>
    public static IServiceCollection AddStatutoryDeadlines(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);

        services.AddOptions<DeadlineOptions>()
            .Bind(configuration.GetSection(DeadlineOptions.SectionName))
            .ValidateOnStart();
        services.TryAddEnumerable(
            ServiceDescriptor.Singleton<IValidateOptions<DeadlineOptions>, DeadlineOptionsValidator>());

        services.TryAddSingleton<IHolidayCalendar>(provider =>
            new ConfiguredHolidayCalendar(provider.GetRequiredService<IOptions<DeadlineOptions>>().Value));
        services.TryAddSingleton(provider =>
            new StatutoryDeadlines(
                provider.GetRequiredService<IOptions<DeadlineOptions>>().Value,
                provider.GetRequiredService<IHolidayCalendar>()));

        return services;
    }
}
