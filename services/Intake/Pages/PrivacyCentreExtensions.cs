using Closely.BuildingBlocks.Localization;

namespace Closely.Intake.Pages;

/// <summary>
/// The public privacy-centre pages: the request form, its confirmation, the requester's status page and the opt-out
/// page, in the languages of <see cref="PublicLanguages"/> (<c>PageTexts.resx</c> and one <c>PageTexts.xx.resx</c> each).
/// </summary>
public static class PrivacyCentreExtensions
{
    public static IHostApplicationBuilder AddPrivacyCentre(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<PrivacyCentreOptions>()
            .Bind(builder.Configuration.GetSection(PrivacyCentreOptions.SectionName))
            .ValidateDataAnnotations()
            .Validate(o => o.MaxFormBytes > o.MaxAuthorityBytes, "Intake:PrivacyCentre:MaxFormBytes must exceed MaxAuthorityBytes.")
            .ValidateOnStart();
        builder.Services.AddPublicLanguages();
        builder.Services.AddRazorPages();
        builder.Services.AddAntiforgery();
        builder.Services.AddExceptionHandler<PageExceptionHandler>();
        builder.Services.AddRateLimiter(limiter => limiter.AddPolicy<string, PrivacyCentreRateLimitPolicy>(PrivacyCentreRateLimitPolicy.Name));
        return builder;
    }

    /// <summary>
    /// Maps the pages; the languages (<see cref="PublicLanguageExtensions.UsePublicLanguages"/>), exception handler
    /// and rate limiter of Program.cs serve them.
    /// </summary>
    public static WebApplication MapPrivacyCentre(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapRazorPages();
        return app;
    }
}
