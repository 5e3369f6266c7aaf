using Closely.BuildingBlocks.Localization;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.Extensions.Localization;
using Microsoft.Net.Http.Headers;

namespace Closely.Intake.Pages;

/// <summary>Whether a visitor gets a page or a problem document, and the page for an address that leads nowhere.</summary>
public static class PageNegotiation
{
    /// <summary>
    /// A browser asks for <c>text/html</c> by name, above anything else that would take JSON; an API client
    /// (<c>application/json</c>, <c>*/*</c> or no Accept header at all) does not.
    /// </summary>
    public static bool PrefersPage(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var accepted = request.GetTypedHeaders().Accept;
        var html = accepted.Where(a => a.MediaType.Equals("text/html", StringComparison.OrdinalIgnoreCase)).Select(a => a.Quality ?? 1).DefaultIfEmpty(0).Max();
        var json = accepted.Where(a => new MediaTypeHeaderValue("application/json").IsSubsetOf(a)).Select(a => a.Quality ?? 1).DefaultIfEmpty(0).Max();
        return html > 0 && html > json;
    }

    /// <summary>
    /// An error answer without a body: a browser outside <c>/api</c> that found no page gets a readable one in its
    /// language; everything else gets the problem document the API always gave.
    /// </summary>
    public static async Task WriteStatusAsync(StatusCodeContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var http = context.HttpContext;
        var status = http.Response.StatusCode;
        if (status == StatusCodes.Status404NotFound && !http.Request.Path.StartsWithSegments("/api") && PrefersPage(http.Request))
        {
            var texts = http.RequestServices.GetRequiredService<IStringLocalizer<PageTexts>>();
            await PlainPage.WriteAsync(http, status, texts["NotFoundTitle"], texts["SiteName"],
                $"<p>{PlainPage.Encode(texts["NotFound"])} <a href=\"{PlainPage.Encode(http.Request.PathBase + "/")}\">{PlainPage.Encode(texts["NavRequest"])}</a></p>");
            return;
        }

        var problems = http.RequestServices.GetRequiredService<IProblemDetailsService>();
        await problems.TryWriteAsync(new ProblemDetailsContext { HttpContext = http, ProblemDetails = { Status = status } });
    }
}
