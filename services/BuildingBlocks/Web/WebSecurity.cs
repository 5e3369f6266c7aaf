using System.Net;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace Closely.BuildingBlocks.Web;

/// <summary>
/// What every service with pages shares at the front of its pipeline (ADR 34): the client's address and scheme from
/// <c>X-Forwarded-For</c>/<c>-Proto</c> of configured proxies only, the security headers on every response, and
/// cookies (sign-in, antiforgery) sent over HTTPS only outside Development.
/// </summary>
public static class WebSecurity
{
    public const string SectionName = "ForwardedHeaders";

    /// <summary>
    /// The platform's pages are server-rendered HTML with inline styles, no scripts, no frames, and forms that post
    /// to their own origin.
    /// </summary>
    public const string ContentSecurityPolicy =
        "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    public const string StrictTransportSecurity = "max-age=31536000";

    /// <summary>
    /// Registers the forwarded headers of <c>ForwardedHeaders:KnownProxies</c> (addresses) and
    /// <c>ForwardedHeaders:KnownNetworks</c> (CIDR) — none by default, not even loopback —, secure cookies outside
    /// Development, and the middleware, which runs first, before the routing WebApplication adds.
    /// </summary>
    public static IHostApplicationBuilder AddWebSecurity(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var section = builder.Configuration.GetSection(SectionName);
        builder.Services.Configure<ForwardedHeadersOptions>(forwarded =>
        {
            forwarded.ForwardLimit = null;
            forwarded.KnownProxies.Clear();
            forwarded.KnownIPNetworks.Clear();
            foreach (var proxy in section.GetSection("KnownProxies").Get<string[]>() ?? [])
            {
                forwarded.KnownProxies.Add(IPAddress.TryParse(proxy, out var address)
                    ? address
                    : throw new InvalidOperationException($"{SectionName}:KnownProxies: '{proxy}' is not an IP address."));
            }

            foreach (var network in section.GetSection("KnownNetworks").Get<string[]>() ?? [])
            {
                forwarded.KnownIPNetworks.Add(System.Net.IPNetwork.TryParse(network, out var parsed)
                    ? parsed
                    : throw new InvalidOperationException($"{SectionName}:KnownNetworks: '{network}' is not a network in CIDR notation (e.g. 10.0.0.0/8)."));
            }

            // With no proxy known the middleware would believe anyone's headers: then it reads none.
            forwarded.ForwardedHeaders = forwarded.KnownProxies.Count + forwarded.KnownIPNetworks.Count == 0
                ? ForwardedHeaders.None
                : ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
        });

        if (!builder.Environment.IsDevelopment())
        {
            builder.Services.PostConfigure<AntiforgeryOptions>(antiforgery => antiforgery.Cookie.SecurePolicy = CookieSecurePolicy.Always);
            builder.Services.PostConfigureAll<CookieAuthenticationOptions>(cookie => cookie.Cookie.SecurePolicy = CookieSecurePolicy.Always);
        }

        builder.Services.AddTransient<IStartupFilter, FrontOfThePipeline>();
        return builder;
    }

    /// <summary>The headers every response gets, set as it starts, so that an error page that cleared the headers has them too.</summary>
    public static void AddSecurityHeaders(HttpResponse response)
    {
        ArgumentNullException.ThrowIfNull(response);
        var headers = response.Headers;
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        if (string.IsNullOrEmpty(headers.ContentSecurityPolicy))
        {
            headers.ContentSecurityPolicy = ContentSecurityPolicy;
        }

        if (string.IsNullOrEmpty(headers["Referrer-Policy"]))
        {
            headers["Referrer-Policy"] = "no-referrer";
        }

        if (response.HttpContext.Request.IsHttps)
        {
            headers.StrictTransportSecurity = StrictTransportSecurity;
        }
    }

    private sealed class FrontOfThePipeline : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.UseForwardedHeaders();
            app.Use((context, nextMiddleware) =>
            {
                context.Response.OnStarting(static response =>
                {
                    AddSecurityHeaders((HttpResponse)response);
                    return Task.CompletedTask;
                }, context.Response);
                return nextMiddleware(context);
            });
            next(app);
        };
    }
}
