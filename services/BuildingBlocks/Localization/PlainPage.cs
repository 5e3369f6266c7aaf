using System.Text;
using System.Text.Encodings.Web;
using System.Text.Unicode;
using Microsoft.AspNetCore.Http;

namespace Closely.BuildingBlocks.Localization;

/// <summary>
/// A small public page built without Razor — Identity's verification pages and the privacy centre's error
/// pages: the page's language, its title and heading, the language switch and the body. Never cached, and
/// no referrer leaves it (such pages may be reached through links that carry a token).
/// </summary>
public static class PlainPage
{
    public static Task WriteAsync(HttpContext http, int statusCode, string title, string siteName, string bodyHtml)
    {
        ArgumentNullException.ThrowIfNull(http);
        http.Response.StatusCode = statusCode;
        http.Response.ContentType = "text/html; charset=utf-8";
        return http.Response.WriteAsync(Html(http, title, siteName, bodyHtml), http.RequestAborted);
    }

    public static string Html(HttpContext http, string title, string siteName, string bodyHtml)
    {
        ArgumentNullException.ThrowIfNull(http);
        http.Response.Headers.CacheControl = "no-store";
        http.Response.Headers["Referrer-Policy"] = "no-referrer";
        return new StringBuilder()
            .Append("<!DOCTYPE html>\n<html lang=\"").Append(PublicLanguages.Current.Code).Append("\">\n<head>\n<meta charset=\"utf-8\">\n")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
            .Append("<title>").Append(Encode(title)).Append(" – ").Append(Encode(siteName)).Append("</title>\n")
            .Append("<style>body { font-family: system-ui, sans-serif; line-height: 1.5; max-width: 42rem; margin: 0 auto; padding: 0 1rem; color: #0b0c0c; } ")
            .Append("a { color: #1d70b8; } .languages ul { list-style: none; padding: 0; display: flex; gap: 1rem; } ")
            .Append("[aria-current] { font-weight: 700; } ")
            .Append("button { font: inherit; font-weight: 600; padding: .5rem 1.25rem; background: #00703c; color: #fff; border: 0; cursor: pointer; } ")
            .Append("a:focus, button:focus { outline: 3px solid #fd0; outline-offset: 0; }</style>\n")
            .Append("</head>\n<body>\n<header>\n").Append(LanguageSwitch.Html(http.Request)).Append("\n</header>\n<main>\n")
            .Append("<h1>").Append(Encode(title)).Append("</h1>\n")
            .Append(bodyHtml)
            .Append("\n</main>\n</body>\n</html>\n")
            .ToString();
    }

    /// <summary>A paragraph of text, encoded.</summary>
    public static string Paragraph(string text) => "<p>" + Encode(text) + "</p>";

    /// <summary>HTML-encodes <paramref name="value"/>, leaving letters such as ä and ß as they are.</summary>
    public static string Encode(string value) => Encoder.Encode(value);

    private static readonly HtmlEncoder Encoder = HtmlEncoder.Create(UnicodeRanges.All);
}
