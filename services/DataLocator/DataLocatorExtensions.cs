using Closely.BuildingBlocks.Hosting;
using Closely.BuildingBlocks.Localization;
using Closely.BuildingBlocks.Messaging;
using Closely.BuildingBlocks.Privacy;
using Closely.BuildingBlocks.Web;
using Closely.DataLocator.Locating;
using Closely.DataLocator.Packages;
using Closely.Stores;
using MassTransit;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Closely.DataLocator;

/// <summary>
/// DataLocator keeps no database of its own: it reads the stores and answers on the bus. The access and portability
/// packages it builds live in its package store (encrypted files, <see cref="PackageStore"/>) until their link expires.
/// </summary>
public static class DataLocatorExtensions
{
    public static IHostApplicationBuilder AddDataLocatorServices(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.AddStores();
        builder.AddPersonalDataProtection();
        builder.Services.AddOptions<PackageOptions>()
            .Bind(builder.Configuration.GetSection(PackageOptions.SectionName))
            .ValidateDataAnnotations()
            .Validate(o => KeySetting.TryDecode(o.LinkSigningKey, out _),
                KeySetting.Problem("Packages:LinkSigningKey"))
            .Validate(o => o.LinkLifetime > TimeSpan.Zero && o.PurgeInterval > TimeSpan.Zero,
                "Packages:LinkLifetime and Packages:PurgeInterval must be positive.")
            .Validate(o => o.PublicBaseUrl.IsAbsoluteUri && o.PublicBaseUrl.Scheme is "http" or "https",
                "Packages:PublicBaseUrl must be an absolute http(s) URL.")
            .ValidateOnStart();
        builder.Services.TryAddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<PackageStore>();
        builder.Services.AddSingleton<PackageBuilder>();
        builder.Services.AddSingleton<DownloadLinks>();
        builder.Services.AddPeriodicBackgroundService<PackagePurger>();

        builder.Services.AddAntiforgery();
        builder.Services.AddPublicLanguages();
        builder.Services.AddRateLimiter(limiter =>
        {
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.OnRejected = (context, _) => new ValueTask(DownloadPages.TooManyAsync(context.HttpContext));
            limiter.AddPolicy(DownloadPages.RateLimitPolicy, http => ClientAddressRateLimit.PerMinute(
                http, http.RequestServices.GetRequiredService<IOptions<PackageOptions>>().Value.RateLimitPermitsPerMinute));
        });

        builder.AddMessaging(bus =>
        {
            bus.AddConsumer<LocateSubjectDataConsumer, LocateSubjectDataConsumerDefinition>();
            bus.AddConsumer<ExportStoreDataConsumer, ExportStoreDataConsumerDefinition>();
            bus.AddConsumer<AssembleDataPackageConsumer, AssembleDataPackageConsumerDefinition>();
        });
        return builder;
    }
}
