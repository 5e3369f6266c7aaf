using Closely.Intake.Pages;
using Microsoft.AspNetCore.Http;

namespace Closely.UnitTests.Localization;

public sealed class PageNegotiationTests
{
    [Theory]
    [InlineData("text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8", true)]
    [InlineData("text/html", true)]
    [InlineData("application/json", false)]
    [InlineData("application/json, text/html;q=0.5", false)]
    [InlineData("*/*", false)]
    [InlineData("", false)]
    public void A_browser_gets_the_status_page_and_an_api_client_the_json(string accept, bool page)
    {
        var http = new DefaultHttpContext();
        if (accept.Length > 0)
        {
            http.Request.Headers.Accept = accept;
        }

        Assert.Equal(page, PageNegotiation.PrefersPage(http.Request));
    }
}
