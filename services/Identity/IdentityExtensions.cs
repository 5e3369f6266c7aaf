using Closely.BuildingBlocks.Localization;
using Closely.BuildingBlocks.Messaging;
using Closely.BuildingBlocks.Persistence;
using Closely.BuildingBlocks.Privacy;
using Closely.BuildingBlocks.Web;
using Closely.Identity.Persistence;
using Closely.Identity.Retention;
using Closely.Identity.Verification;
using MassTransit;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;

namespace Closely.Identity;

public static class IdentityExtensions
{
    public static IHostApplicationBuilder AddIdentityServices(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.AddServiceDatabase<IdentityDbContext>(IdentityDbContext.SchemaName);
        builder.AddPersonalDataProtection();

        builder.Services.AddOptions<IdentityOptions>()
            .Bind(builder.Configuration.GetSection(IdentityOptions.SectionName))
            .ValidateDataAnnotations()
            .Validate(o => KeySetting.TryDecode(o.LinkSigningKey, out _),
                KeySetting.Problem("Identity:LinkSigningKey"))
            .Validate(o => o.LinkLifetime > TimeSpan.Zero && o.RateLimitWindow > TimeSpan.Zero,
                "Identity:LinkLifetime and Identity:RateLimitWindow must be positive.")
            .Validate(o => o.PublicBaseUrl.IsAbsoluteUri && o.PublicBaseUrl.Scheme is "http" or "https",
                "Identity:PublicBaseUrl must be an absolute http(s) URL.")
            .ValidateOnStart();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<VerificationLinks>();
        builder.Services.AddScoped<VerificationService>();

        builder.Services.AddAntiforgery();
        builder.Services.AddPublicLanguages();
        builder.Services.AddRateLimiter(limiter =>
        {
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.OnRejected = (context, _) => new ValueTask(VerificationPages.TooManyAsync(
                context.HttpContext, context.HttpContext.RequestServices.GetRequiredService<IStringLocalizer<VerificationTexts>>()));
            limiter.AddPolicy(VerificationPages.RateLimitPolicy, http =>
            {
                var settings = http.RequestServices.GetRequiredService<IOptions<IdentityOptions>>().Value;
                return ClientAddressRateLimit.FixedWindow(http, settings.RateLimitPermits, settings.RateLimitWindow);
            });
        });

        builder.AddMessaging(bus =>
        {
            bus.AddConsumer<VerifyIdentityConsumer, VerifyIdentityConsumerDefinition>();
            bus.AddConsumer<VerificationRetentionConsumer>();
        });
        return builder;
    }
}
