using Closely.BuildingBlocks.Localization;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace Closely.Intake.Pages;

/// <summary>
/// An unexpected failure on a privacy-centre page (the database unreachable, say) gets a readable page in the
/// visitor's language instead of the API's problem document; the exception itself is logged by the exception
/// handler middleware.
/// </summary>
public sealed class PageExceptionHandler(IStringLocalizer<PageTexts> texts) : IExceptionHandler
{
    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        var failure = httpContext.Features.Get<IExceptionHandlerFeature>();
        if (failure?.Endpoint?.Metadata.GetMetadata<PageActionDescriptor>() is null || httpContext.Response.HasStarted)
        {
            return false;
        }

        var back = httpContext.Request.PathBase + failure.Path;
        await PlainPage.WriteAsync(httpContext, StatusCodes.Status500InternalServerError, texts["FailureTitle"], texts["SiteName"],
            PlainPage.Paragraph(texts["Failure"]) + $"<p><a href=\"{PlainPage.Encode(back)}\">{PlainPage.Encode(texts["FailureBack"])}</a></p>");
        return true;
    }
}
