using Closely.BuildingBlocks.Localization;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;

namespace Closely.Identity.Verification;

/// <summary>
/// The pages a requester reaches from the verification email, in the visitor's language (the link carries the
/// case's). Opening a link changes nothing (mail scanners open links); only the form's POST confirms.
/// </summary>
public static class VerificationPages
{
    public const string RateLimitPolicy = "verification-pages";

    /// <summary>
    /// Maps <c>/verify?token=</c> and <c>/verify/renew?token=</c>, rate-limited per IP address (the rate limiter of
    /// Program.cs). The token is in the query, which the telemetry never records, never in the path (ADR 33).
    /// </summary>
    public static WebApplication MapVerificationPages(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var pages = app.MapGroup("/verify").RequireRateLimiting(RateLimitPolicy);
        pages.MapGet("", ShowAsync);
        pages.MapPost("", ConfirmAsync);
        pages.MapPost("/renew", RenewAsync);
        return app;
    }

    /// <summary>The page for a visitor over the rate limit.</summary>
    public static Task TooManyAsync(HttpContext http, IStringLocalizer<VerificationTexts> texts)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(texts);
        return PlainPage.WriteAsync(http, StatusCodes.Status429TooManyRequests, texts["TooManyTitle"], texts["SiteName"], PlainPage.Paragraph(texts["TooMany"]));
    }

    private static async Task<IResult> ShowAsync(
        [FromQuery] string? token, HttpContext http, VerificationService verifications, IAntiforgery antiforgery, IStringLocalizer<VerificationTexts> texts,
        CancellationToken cancellationToken)
    {
        token ??= "";
        var link = await verifications.LookUpAsync(token, cancellationToken);
        return link.State == LinkState.Valid
            ? ConfirmPage(http, antiforgery, texts, token, link.Verification!.Reference)
            : Refusal(http, antiforgery, texts, token, link);
    }

    private static async Task<IResult> ConfirmAsync(
        [FromQuery] string? token, HttpContext http, VerificationService verifications, IAntiforgery antiforgery, IStringLocalizer<VerificationTexts> texts,
        CancellationToken cancellationToken)
    {
        token ??= "";
        if (!await antiforgery.IsRequestValidAsync(http))
        {
            return FormExpired(http, texts);
        }

        var link = await verifications.LookUpAsync(token, cancellationToken);
        if (link.State != LinkState.Valid)
        {
            return Refusal(http, antiforgery, texts, token, link);
        }

        if (!await verifications.ConfirmAsync(link.Verification!, cancellationToken))
        {
            // Used or expired between the look-up and the update: show what it is now.
            return Refusal(http, antiforgery, texts, token, await verifications.LookUpAsync(token, cancellationToken));
        }

        return Page(http, texts, StatusCodes.Status200OK, texts["ConfirmedTitle"], PlainPage.Paragraph(texts["Confirmed", link.Verification!.Reference]));
    }

    private static async Task<IResult> RenewAsync(
        [FromQuery] string? token, HttpContext http, VerificationService verifications, IAntiforgery antiforgery, IStringLocalizer<VerificationTexts> texts,
        CancellationToken cancellationToken)
    {
        token ??= "";
        if (!await antiforgery.IsRequestValidAsync(http))
        {
            return FormExpired(http, texts);
        }

        var link = await verifications.LookUpAsync(token, cancellationToken);
        if (link.State != LinkState.Expired)
        {
            return link.State == LinkState.Valid
                ? Page(http, texts, StatusCodes.Status200OK, texts["StillValidTitle"],
                    PlainPage.Paragraph(texts["StillValid"]) + Form(http, antiforgery, FormPath(http, "/verify", token), texts["ConfirmButton"]))
                : Refusal(http, antiforgery, texts, token, link);
        }

        var outcome = await verifications.RenewAsync(link.Verification!, cancellationToken);
        return outcome == IssueOutcome.AlreadyVerified
            ? UsedPage(http, texts)
            : Page(http, texts, StatusCodes.Status200OK, texts["RenewedTitle"], PlainPage.Paragraph(texts["Renewed"]));
    }

    private static IResult ConfirmPage(HttpContext http, IAntiforgery antiforgery, IStringLocalizer<VerificationTexts> texts, string token, string reference) =>
        Page(http, texts, StatusCodes.Status200OK, texts["ConfirmTitle", reference],
            PlainPage.Paragraph(texts["Confirm"]) + Form(http, antiforgery, FormPath(http, "/verify", token), texts["ConfirmButton"]));

    private static IResult Refusal(HttpContext http, IAntiforgery antiforgery, IStringLocalizer<VerificationTexts> texts, string token, LinkLookup link) =>
        link.State switch
        {
            LinkState.Expired => Page(http, texts, StatusCodes.Status410Gone, texts["ExpiredTitle"],
                PlainPage.Paragraph(texts["Expired"]) + Form(http, antiforgery, FormPath(http, "/verify/renew", token), texts["RenewButton"])),
            LinkState.Used => UsedPage(http, texts),
            _ => Page(http, texts, StatusCodes.Status404NotFound, texts["NotValidTitle"], PlainPage.Paragraph(texts["NotValid"])),
        };

    private static IResult UsedPage(HttpContext http, IStringLocalizer<VerificationTexts> texts) =>
        Page(http, texts, StatusCodes.Status200OK, texts["UsedTitle"], PlainPage.Paragraph(texts["Used"]));

    private static IResult FormExpired(HttpContext http, IStringLocalizer<VerificationTexts> texts) =>
        Page(http, texts, StatusCodes.Status400BadRequest, texts["FormExpiredTitle"], PlainPage.Paragraph(texts["FormExpired"]));

    /// <summary>Where a form of the page posts to: <paramref name="path"/> with the link's token in the query, as the link has it.</summary>
    private static string FormPath(HttpContext http, string path, string token) =>
        $"{http.Request.PathBase}{path}?token={Uri.EscapeDataString(token)}";

    /// <summary>A form posting to <paramref name="action"/> with its antiforgery token; its answer stays in the page's language.</summary>
    private static string Form(HttpContext http, IAntiforgery antiforgery, string action, string button)
    {
        var tokens = antiforgery.GetAndStoreTokens(http);
        var target = $"{action}&{PublicLanguages.QueryKey}={PublicLanguages.Current.Code}";
        return $"""
            <form method="post" action="{PlainPage.Encode(target)}">
            <input type="hidden" name="{PlainPage.Encode(tokens.FormFieldName)}" value="{PlainPage.Encode(tokens.RequestToken ?? "")}">
            <button type="submit">{PlainPage.Encode(button)}</button>
            </form>
            """;
    }

    private static IResult Page(HttpContext http, IStringLocalizer<VerificationTexts> texts, int statusCode, string title, string bodyHtml) =>
        Results.Content(PlainPage.Html(http, title, texts["SiteName"], bodyHtml), "text/html; charset=utf-8", System.Text.Encoding.UTF8, statusCode);
}
