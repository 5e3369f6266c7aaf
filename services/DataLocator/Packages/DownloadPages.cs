using Closely.BuildingBlocks.Localization;
using Closely.Contracts;
using MassTransit;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.Extensions.Options;

namespace Closely.DataLocator.Packages;

/// <summary>
/// The page a requester reaches from the package email, in the visitor's language (the link carries the case's).
/// Opening the link shows a button and delivers nothing (mail scanners open links); only the page's POST sends the ZIP.
/// An expired link is refused with a way to ask again; its package is gone (<see cref="PackagePurger"/>).
/// </summary>
public static class DownloadPages
{
    public const string RateLimitPolicy = "download-pages";

    public static WebApplication MapDownloadPages(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        // The token is in the query, not the path: ASP.NET Core puts the request path in every log scope and the
        // traces record it (url.path), while the query is in neither (OpenTelemetry redacts its values).
        app.MapGet("/download", ShowAsync).RequireRateLimiting(RateLimitPolicy);
        app.MapPost("/download", DownloadAsync).RequireRateLimiting(RateLimitPolicy);
        return app;
    }

    /// <summary>The page for a visitor over the rate limit.</summary>
    public static Task TooManyAsync(HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        var texts = PackageTexts.For(PublicLanguages.Current.Code);
        return PlainPage.WriteAsync(http, StatusCodes.Status429TooManyRequests, texts.TooManyTitle, texts.SiteName, PlainPage.Paragraph(texts.TooMany));
    }

    private static async Task<IResult> ShowAsync(
        string? token, HttpContext http, DownloadLinks links, PackageStore packages, TimeProvider time, IAntiforgery antiforgery,
        IOptions<PackageOptions> options, CancellationToken cancellationToken)
    {
        var texts = PackageTexts.For(PublicLanguages.Current.Code);
        var (record, refusal) = await LookUpAsync(token, http, links, packages, time, options, texts, cancellationToken);
        if (record is null)
        {
            return refusal!;
        }

        var tokens = antiforgery.GetAndStoreTokens(http);
        var action = $"{http.Request.PathBase}/download?token={Uri.EscapeDataString(token!)}&{PublicLanguages.QueryKey}={PublicLanguages.Current.Code}";
        var until = PublicLanguages.Current.FormatDate(DateOnly.FromDateTime(record.ExpiresAt.UtcDateTime));
        var body = PlainPage.Paragraph(string.Format(PublicLanguages.Current.Culture, texts.Download, record.Reference, until)) + $"""
            <form method="post" action="{PlainPage.Encode(action)}">
            <input type="hidden" name="{PlainPage.Encode(tokens.FormFieldName)}" value="{PlainPage.Encode(tokens.RequestToken ?? "")}">
            <button type="submit">{PlainPage.Encode(texts.DownloadButton)}</button>
            </form>
            """;
        return Page(http, texts, StatusCodes.Status200OK, texts.DownloadTitle, body);
    }

    private static async Task<IResult> DownloadAsync(
        string? token, HttpContext http, DownloadLinks links, PackageStore packages, TimeProvider time, IAntiforgery antiforgery,
        IPublishEndpoint publish, IOptions<PackageOptions> options, CancellationToken cancellationToken)
    {
        var texts = PackageTexts.For(PublicLanguages.Current.Code);
        if (!await antiforgery.IsRequestValidAsync(http))
        {
            return Page(http, texts, StatusCodes.Status400BadRequest, texts.FormExpiredTitle, PlainPage.Paragraph(texts.FormExpired));
        }

        var (record, refusal) = await LookUpAsync(token, http, links, packages, time, options, texts, cancellationToken);
        var stream = record is null ? null : packages.OpenPackage(record.CaseId);
        if (stream is null)
        {
            return refusal ?? Expired(http, texts, options.Value);
        }

        await publish.Publish(new DataPackageDownloaded { CaseId = record!.CaseId, PackageId = record.PackageId, DownloadedAt = time.GetUtcNow() }, cancellationToken);
        http.Response.Headers.CacheControl = "no-store";
        return Results.Stream(stream, "application/zip", $"closely-{record.Reference}.zip");
    }

    private static async Task<(PackageRecord? Record, IResult? Refusal)> LookUpAsync(
        string? token, HttpContext http, DownloadLinks links, PackageStore packages, TimeProvider time, IOptions<PackageOptions> options,
        PackageTexts texts, CancellationToken cancellationToken)
    {
        var named = token is null ? null : links.Read(token);
        var record = named is { } ids ? await packages.ReadRecordAsync(ids.CaseId, cancellationToken) : null;
        if (record is null || record.PackageId != named!.Value.PackageId)
        {
            return (null, Page(http, texts, StatusCodes.Status404NotFound, texts.NotValidTitle, PlainPage.Paragraph(texts.NotValid)));
        }

        return record.PurgedAt is not null || record.ExpiresAt <= time.GetUtcNow()
            ? (null, Expired(http, texts, options.Value))
            : (record, null);
    }

    private static IResult Expired(HttpContext http, PackageTexts texts, PackageOptions options) =>
        Page(http, texts, StatusCodes.Status410Gone, texts.ExpiredTitle,
            PlainPage.Paragraph(texts.Expired) +
            $"<p><a href=\"{PlainPage.Encode(options.PrivacyCentreUrl + "?" + PublicLanguages.QueryKey + "=" + PublicLanguages.Current.Code)}\">{PlainPage.Encode(texts.StartAgain)}</a></p>");

    private static IResult Page(HttpContext http, PackageTexts texts, int statusCode, string title, string bodyHtml) =>
        Results.Content(PlainPage.Html(http, title, texts.SiteName, bodyHtml), "text/html; charset=utf-8", System.Text.Encoding.UTF8, statusCode);
}
