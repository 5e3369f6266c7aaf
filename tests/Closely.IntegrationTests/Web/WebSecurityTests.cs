using System.Net;
using Closely.BuildingBlocks.Web;
using Closely.Cases;
using Closely.Identity.Persistence;
using Closely.Intake;
using Closely.IntegrationTests.Infrastructure;

namespace Closely.IntegrationTests.Web;

/// <summary>The front of every page host's pipeline (BuildingBlocks' <see cref="WebSecurity"/>): headers, forwarded addresses, cookies.</summary>
[Collection(PlatformServersCollection.Name)]
public sealed class WebSecurityTests(PlatformServers servers)
{
    [Fact]
    public async Task Every_page_of_intake_identity_and_the_console_has_the_security_headers_and_hsts_only_over_https()
    {
        var database = await PlatformDatabase.CreateAsync(servers, "web_security");
        var vhost = await servers.CreateVirtualHostAsync("web-security");
        try
        {
            await using var services = new ServiceGroup(servers, database, vhost);
            var intake = await services.StartAsync<IntakeOptions>();
            var identity = await services.StartAsync<IdentityDbContext>();
            var cases = await services.StartAsync<CasesOptions>();
            (Func<Microsoft.AspNetCore.Mvc.Testing.WebApplicationFactoryClientOptions, HttpClient> Client, string Path)[] pages =
            [
                (intake.CreateClient, "/"),
                (intake.CreateClient, "/opt-out"),
                (intake.CreateClient, $"/requests/{Guid.NewGuid()}/status?token=nothing"),
                (identity.CreateClient, "/verify?token=nothing"),
                (cases.CreateClient, "/signin"),
            ];
            foreach (var (client, path) in pages)
            {
                foreach (var scheme in new[] { "http", "https" })
                {
                    using var browser = client(new() { BaseAddress = new Uri($"{scheme}://localhost"), AllowAutoRedirect = false });
                    using var response = await browser.GetAsync(new Uri(path, UriKind.Relative));
                    var what = $"{scheme} {path} ({(int)response.StatusCode})";
                    Assert.Equal(WebSecurity.ContentSecurityPolicy, Header(response, "Content-Security-Policy"));
                    Assert.Contains("frame-ancestors 'none'", Header(response, "Content-Security-Policy"), StringComparison.Ordinal);
                    Assert.True(Header(response, "X-Content-Type-Options") == "nosniff", what);
                    Assert.True(Header(response, "X-Frame-Options") == "DENY", what);
                    Assert.True(Header(response, "Referrer-Policy") == "no-referrer", what);
                    Assert.True((scheme == "https" ? WebSecurity.StrictTransportSecurity : null) == Header(response, "Strict-Transport-Security"), what);
                }
            }
        }
        finally
        {
            await servers.DeleteVirtualHostAsync(vhost);
        }
    }

    [Fact]
    public async Task X_forwarded_for_counts_only_from_a_configured_proxy_and_an_ipv6_client_is_limited_by_its_64()
    {
        // Two requests a minute per client address on the verification pages.
        static void Limited(ServiceHostOptions options)
        {
            options.ServeOnLoopback = true;
            options.Settings["Identity:RateLimitPermits"] = "2";
        }

        // No proxy configured: the header is ignored, and three "different" clients are one, the loopback caller.
        await using (var direct = await ServiceHost<IdentityDbContext>.StartAsync(servers, "forwarded-none", Limited))
        {
            using var http = new HttpClient { BaseAddress = direct.BaseUrl };
            Assert.Equal(HttpStatusCode.NotFound, await GetAsync(http, "198.51.100.1"));
            Assert.Equal(HttpStatusCode.NotFound, await GetAsync(http, "198.51.100.2"));
            Assert.Equal(HttpStatusCode.TooManyRequests, await GetAsync(http, "198.51.100.3"));
        }

        // Behind a configured proxy (the loopback caller): the forwarded address counts, IPv6 by its /64.
        await using var proxied = await ServiceHost<IdentityDbContext>.StartAsync(servers, "forwarded-proxy", options =>
        {
            Limited(options);
            options.Settings["ForwardedHeaders:KnownProxies:0"] = "127.0.0.1";
        });
        using var client = new HttpClient { BaseAddress = proxied.BaseUrl };
        Assert.Equal(HttpStatusCode.NotFound, await GetAsync(client, "198.51.100.1"));
        Assert.Equal(HttpStatusCode.NotFound, await GetAsync(client, "198.51.100.2"));
        Assert.Equal(HttpStatusCode.NotFound, await GetAsync(client, "198.51.100.3"));
        Assert.Equal(HttpStatusCode.NotFound, await GetAsync(client, "2001:db8:1:2::1"));
        Assert.Equal(HttpStatusCode.NotFound, await GetAsync(client, "2001:db8:1:2::abcd"));
        Assert.Equal(HttpStatusCode.TooManyRequests, await GetAsync(client, "2001:db8:1:2:ffff::3"));
        Assert.Equal(HttpStatusCode.NotFound, await GetAsync(client, "2001:db8:1:3::1"));
    }

    [Fact]
    public async Task Outside_development_the_antiforgery_cookie_is_secure_and_in_development_it_follows_the_request()
    {
        await using var development = await ServiceHost<IntakeOptions>.StartAsync(servers, "cookie-development");
        Assert.DoesNotContain("secure", await AntiforgeryCookieAsync(development, "http"), StringComparison.OrdinalIgnoreCase);

        await using var staging = await ServiceHost<IntakeOptions>.StartAsync(servers, "cookie-staging", options => options.Settings["environment"] = "Staging");
        Assert.Contains("secure", await AntiforgeryCookieAsync(staging, "https"), StringComparison.OrdinalIgnoreCase);

        // Served over plain HTTP (no proxy that says otherwise), a page with a form is refused rather than set the
        // cookie without Secure.
        using var plain = staging.CreateClient(new() { BaseAddress = new Uri("http://localhost") });
        Assert.Equal(HttpStatusCode.InternalServerError, (await plain.GetAsync(new Uri("/", UriKind.Relative))).StatusCode);
    }

    private static async Task<string> AntiforgeryCookieAsync(ServiceHost<IntakeOptions> intake, string scheme)
    {
        using var browser = intake.CreateClient(new() { BaseAddress = new Uri($"{scheme}://localhost") });
        using var response = await browser.GetAsync(new Uri("/", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return Assert.Single(response.Headers.GetValues("Set-Cookie"), c => c.StartsWith(".AspNetCore.Antiforgery", StringComparison.Ordinal));
    }

    private static async Task<HttpStatusCode> GetAsync(HttpClient http, string forwardedFor)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/verify?token=nothing", UriKind.Relative));
        request.Headers.Add("X-Forwarded-For", forwardedFor);
        using var response = await http.SendAsync(request);
        return response.StatusCode;
    }

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) || response.Content.Headers.TryGetValues(name, out values) ? string.Join(", ", values) : null;
}
