using System.Net;
using System.Text.RegularExpressions;

namespace Closely.IntegrationTests.Infrastructure;

/// <summary>Submits a server-rendered page's form as a browser would: its hidden antiforgery field, with the client's cookies.</summary>
public static partial class HtmlForms
{
    public static async Task<string> SubmitAsync(HttpClient browser, string page, HttpStatusCode expected, string? action = null)
    {
        using var response = await PostAsync(browser, page, action);
        var html = await response.Content.ReadAsStringAsync();
        Assert.True(expected == response.StatusCode, $"POST {response.RequestMessage?.RequestUri}: {response.StatusCode}\n{html}");
        return html;
    }

    /// <summary>Submits the page's form and returns the response as it is, e.g. a file download.</summary>
    public static async Task<HttpResponseMessage> PostAsync(HttpClient browser, string page, string? action = null)
    {
        ArgumentNullException.ThrowIfNull(browser);
        ArgumentNullException.ThrowIfNull(page);
        var form = FormPattern().Match(page);
        Assert.True(form.Success, "the page has no form:\n" + page);
        var target = action ?? WebUtility.HtmlDecode(form.Groups["action"].Value);
        using var content = new FormUrlEncodedContent(new Dictionary<string, string>
        {
            [WebUtility.HtmlDecode(form.Groups["name"].Value)] = WebUtility.HtmlDecode(form.Groups["value"].Value),
        });
        return await browser.PostAsync(new Uri(target, UriKind.Relative), content);
    }

    [GeneratedRegex("""<form method="post" action="(?<action>[^"]+)">\s*<input type="hidden" name="(?<name>[^"]+)" value="(?<value>[^"]*)">""")]
    private static partial Regex FormPattern();
}
