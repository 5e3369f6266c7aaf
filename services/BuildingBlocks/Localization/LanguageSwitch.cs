using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Extensions;

namespace Closely.BuildingBlocks.Localization;

/// <summary>
/// The language switch every public page shows: one link per language to the same page with <c>?lang=</c>
/// set (the rest of the query kept), each named in its own language. Only the language is added to the URL.
/// </summary>
public static class LanguageSwitch
{
    public static string Html(HttpRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var current = PublicLanguages.Current;
        var html = new StringBuilder()
            .Append("<nav class=\"languages\" aria-label=\"").Append(PlainPage.Encode(current.SwitchLabel)).Append("\"><ul>");
        foreach (var language in PublicLanguages.All)
        {
            html.Append("<li><a href=\"").Append(PlainPage.Encode(Href(request, language)))
                .Append("\" hreflang=\"").Append(language.Code)
                .Append("\" lang=\"").Append(language.Code).Append('"')
                .Append(language == current ? " aria-current=\"true\"" : "")
                .Append('>').Append(PlainPage.Encode(language.Name)).Append("</a></li>");
        }

        return html.Append("</ul></nav>").ToString();
    }

    /// <summary>The current page (path and query) in <paramref name="language"/>.</summary>
    public static string Href(HttpRequest request, PublicLanguage language)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(language);
        var query = new QueryBuilder(request.Query
            .Where(p => !string.Equals(p.Key, PublicLanguages.QueryKey, StringComparison.OrdinalIgnoreCase))
            .SelectMany(p => p.Value.Select(v => KeyValuePair.Create(p.Key, v ?? ""))))
        {
            { PublicLanguages.QueryKey, language.Code },
        };
        return request.PathBase + request.Path + query.ToQueryString();
    }

}
