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

    /// <summary>Opens an emailed link's page (its path on the client's host) and submits its form, as a person confirming in a browser.</summary>
    public static async Task<string> ConfirmLinkAsync(HttpClient browser, Uri link)
    {
        ArgumentNullException.ThrowIfNull(browser);
        ArgumentNullException.ThrowIfNull(link);
        var page = await (await browser.GetAsync(new Uri(link.PathAndQuery, UriKind.Relative))).Content.ReadAsStringAsync();
        return await SubmitAsync(browser, page, HttpStatusCode.OK);
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

    /// <summary>The antiforgery token of the page at <paramref name="path"/> (the privacy centre's form by default), for a form posted by hand.</summary>
    public static async Task<string> AntiforgeryTokenAsync(HttpClient browser, string path = "/")
    {
        ArgumentNullException.ThrowIfNull(browser);
        var page = await browser.GetStringAsync(new Uri(path, UriKind.Relative));
        return WebUtility.HtmlDecode(AntiforgeryField().Match(page).Groups["value"].Value);
    }

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"(?<value>[^\"]+)\"")]
    private static partial Regex AntiforgeryField();

    [GeneratedRegex("""<form method="post" action="(?<action>[^"]+)">\s*<input type="hidden" name="(?<name>[^"]+)" value="(?<value>[^"]*)">""")]
    private static partial Regex FormPattern();
}
