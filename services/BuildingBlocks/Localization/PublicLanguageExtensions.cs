using System.Text.Encodings.Web;
using System.Text.Unicode;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Localization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.WebEncoders;
using Microsoft.Net.Http.Headers;

namespace Closely.BuildingBlocks.Localization;

public static class PublicLanguageExtensions
{
    /// <summary>
    /// Localization of the public pages: texts in <c>Resources/…resx</c> through <c>IStringLocalizer</c>, written into
    /// the HTML as the letters they are (ä, ß) rather than as character references.
    /// </summary>
    public static IServiceCollection AddPublicLanguages(this IServiceCollection services) =>
        services
            .Configure<WebEncoderOptions>(o => o.TextEncoderSettings = new TextEncoderSettings(UnicodeRanges.All))
            .AddLocalization(o => o.ResourcesPath = "Resources");

    /// <summary>
    /// Sets the request's culture to one of <see cref="PublicLanguages.All"/>: from <c>?lang=</c> (which the
    /// cookie then remembers), else the cookie, else Accept-Language, else English. Call it first, so that
    /// error pages, too, speak the visitor's language.
    /// </summary>
    public static IApplicationBuilder UsePublicLanguages(this IApplicationBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var cultures = PublicLanguages.All.Select(l => l.Culture).ToList();
        app.UseRequestLocalization(new RequestLocalizationOptions
        {
            DefaultRequestCulture = new RequestCulture(PublicLanguages.Default.Culture),
            SupportedCultures = cultures,
            SupportedUICultures = cultures,
            RequestCultureProviders = [new PublicLanguageCultureProvider()],
        });
        app.Use((context, next) =>
        {
            if (PublicLanguages.Find(context.Request.Query[PublicLanguages.QueryKey]) is { } chosen)
            {
                context.Response.Cookies.Append(PublicLanguages.CookieName, chosen.Code, new CookieOptions
                {
                    Path = "/",
                    MaxAge = TimeSpan.FromDays(365),
                    SameSite = Microsoft.AspNetCore.Http.SameSiteMode.Lax,
                    HttpOnly = true,
                    Secure = context.Request.IsHttps,
                    IsEssential = true,
                });
            }

            return next(context);
        });
        return app;
    }

    /// <summary>The switch's choice, then the remembered one, then the browser's preference.</summary>
    private sealed class PublicLanguageCultureProvider : RequestCultureProvider
    {
        public override Task<ProviderCultureResult?> DetermineProviderCultureResult(HttpContext httpContext)
        {
            var request = httpContext.Request;
            var language = PublicLanguages.Find(request.Query[PublicLanguages.QueryKey])
                ?? PublicLanguages.Find(request.Cookies[PublicLanguages.CookieName])
                ?? FromAcceptLanguage(request);
            return Task.FromResult(language is null ? null : new ProviderCultureResult(language.CultureName));
        }

        private static PublicLanguage? FromAcceptLanguage(HttpRequest request)
        {
            var header = request.Headers.AcceptLanguage.ToString();
            if (header.Length == 0 || !StringWithQualityHeaderValue.TryParseList(header.Split(','), out var ranges))
            {
                return null;
            }

            return ranges
                .Where(r => r.Quality is not 0)
                .OrderByDescending(r => r.Quality ?? 1)
                .Select(r => PublicLanguages.Find(r.Value.Value))
                .FirstOrDefault(l => l is not null);
        }
    }
}
