using System.Text.Encodings.Web;
using System.Threading.RateLimiting;
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

    public Func<OnRejectedContext, CancellationToken, ValueTask>? OnRejected => async (context, cancellationToken) =>
    {
        var response = context.HttpContext.Response;
        response.StatusCode = StatusCodes.Status429TooManyRequests;
        response.ContentType = "text/html; charset=utf-8";
        var title = HtmlEncoder.Default.Encode(texts["TooManyTitle"]);
        await response.WriteAsync(
            $"""
            <!DOCTYPE html>
            <html lang="en">
            <head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>{title}</title></head>
            <body><main><h1>{title}</h1><p>{HtmlEncoder.Default.Encode(texts["TooMany"])}</p></main></body>
            </html>
            """,
            cancellationToken);
    };

    public RateLimitPartition<string> GetPartition(HttpContext httpContext) =>
        ClientAddressRateLimit.PostsPerMinute(httpContext, options.Value.RateLimit.PermitsPerMinute);
}
