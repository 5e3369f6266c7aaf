using System.Threading.RateLimiting;
using Closely.BuildingBlocks.Localization;
using Closely.BuildingBlocks.Web;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;

namespace Closely.Intake.Pages;

/// <summary>
/// Limits the forms sent from one IP address per minute (<c>Intake:RateLimit:PermitsPerMinute</c>, counted apart
/// from the API); reading the pages is not limited. A visitor over the limit gets a readable page.
/// </summary>
public sealed class PrivacyCentreRateLimitPolicy(IOptions<IntakeOptions> options, IStringLocalizer<PageTexts> texts) : IRateLimiterPolicy<string>
{
    public const string Name = "privacy-centre";

    public Func<OnRejectedContext, CancellationToken, ValueTask>? OnRejected => (context, _) =>
        new ValueTask(PlainPage.WriteAsync(context.HttpContext, StatusCodes.Status429TooManyRequests,
            texts["TooManyTitle"], texts["SiteName"], PlainPage.Paragraph(texts["TooMany"])));

    public RateLimitPartition<string> GetPartition(HttpContext httpContext) =>
        ClientAddressRateLimit.PostsPerMinute(httpContext, options.Value.RateLimit.PermitsPerMinute);
}
