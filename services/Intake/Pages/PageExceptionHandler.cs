using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace Closely.Intake.Pages;

/// <summary>
/// An unexpected failure on a privacy-centre page (the database unreachable, say) gets a readable page
/// instead of the API's problem document; the exception itself is logged by the exception handler middleware.
/// </summary>
public sealed class PageExceptionHandler(IStringLocalizer<PageTexts> texts) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        var endpoint = httpContext.Features.Get<IExceptionHandlerFeature>()?.Endpoint;
        if (endpoint?.Metadata.GetMetadata<PageActionDescriptor>() is null || httpContext.Response.HasStarted)
        {
            return false;
        }

        var title = HtmlEncoder.Default.Encode(texts["FailureTitle"]);
        httpContext.Response.StatusCode = StatusCodes.Status500InternalServerError;
        httpContext.Response.ContentType = "text/html; charset=utf-8";
        httpContext.Response.Headers.CacheControl = "no-store";
        await httpContext.Response.WriteAsync(
            $"""
            <!DOCTYPE html>
            <html lang="{System.Globalization.CultureInfo.CurrentUICulture.TwoLetterISOLanguageName}">
            <head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>{title}</title></head>
            <body><main><h1>{title}</h1><p>{HtmlEncoder.Default.Encode(texts["Failure"])}</p>
            <p><a href="{HtmlEncoder.Default.Encode(httpContext.Request.PathBase + httpContext.Features.Get<IExceptionHandlerFeature>()!.Path)}">{HtmlEncoder.Default.Encode(texts["FailureBack"])}</a></p></main></body>
            </html>
            """,
            cancellationToken);
        return true;
    }
}
