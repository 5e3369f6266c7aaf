using System.Globalization;
using Microsoft.AspNetCore.Localization;

namespace Closely.Intake.Pages;

/// <summary>The public privacy-centre pages: the request form, its confirmation and the opt-out page.</summary>
public static class PrivacyCentreExtensions
{
    /// <summary>The languages the pages speak; the first is the default. A language is added with its <c>PageTexts.xx.resx</c>.</summary>
    public static readonly IReadOnlyList<string> Cultures = ["en-GB"];

    public static IHostApplicationBuilder AddPrivacyCentre(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<PrivacyCentreOptions>()
            .Bind(builder.Configuration.GetSection(PrivacyCentreOptions.SectionName))
            .ValidateDataAnnotations()
            .Validate(o => o.MaxFormBytes > o.MaxAuthorityBytes, "Intake:PrivacyCentre:MaxFormBytes must exceed MaxAuthorityBytes.")
            .ValidateOnStart();
        builder.Services.AddLocalization(o => o.ResourcesPath = "Resources");
        builder.Services.AddRazorPages();
        builder.Services.AddAntiforgery();
        builder.Services.AddExceptionHandler<PageExceptionHandler>();
        builder.Services.AddRateLimiter(limiter => limiter.AddPolicy<string, PrivacyCentreRateLimitPolicy>(PrivacyCentreRateLimitPolicy.Name));
        return builder;
    }

    /// <summary>The middleware that picks the pages' language from <see cref="Cultures"/>.</summary>
    public static WebApplication UsePrivacyCentreLanguages(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseRequestLocalization(new RequestLocalizationOptions
        {
            DefaultRequestCulture = new RequestCulture(Cultures[0]),
            SupportedCultures = Cultures.Select(c => new CultureInfo(c)).ToList(),
            SupportedUICultures = Cultures.Select(c => new CultureInfo(c)).ToList(),
        });
        return app;
    }

    /// <summary>Maps the pages; the exception handler, rate limiter and languages of Program.cs serve them.</summary>
    public static WebApplication MapPrivacyCentre(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapRazorPages();
        return app;
    }
}
