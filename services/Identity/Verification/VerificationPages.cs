using System.Text;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Antiforgery;

namespace Closely.Identity.Verification;

/// <summary>
/// The pages a requester reaches from the verification email. Opening a link changes nothing (mail
/// scanners open links); only the form's POST confirms.
/// </summary>
public static class VerificationPages
{
    public const string RateLimitPolicy = "verification-pages";

    /// <summary>Maps <c>/verify/{token}</c> and <c>/verify/{token}/renew</c>, rate-limited per IP address (the rate limiter of Program.cs).</summary>
    public static WebApplication MapVerificationPages(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var pages = app.MapGroup("/verify").RequireRateLimiting(RateLimitPolicy);
        pages.MapGet("/{token}", ShowAsync);
        pages.MapPost("/{token}", ConfirmAsync);
        pages.MapPost("/{token}/renew", RenewAsync);
        return app;
    }

    private static async Task<IResult> ShowAsync(
        string token, HttpContext http, VerificationService verifications, IAntiforgery antiforgery, CancellationToken cancellationToken)
    {
        var link = await verifications.LookUpAsync(token, cancellationToken);
        return link.State == LinkState.Valid
            ? Page(http, StatusCodes.Status200OK, $"Confirm your request {link.Verification!.Reference}",
                "<p>Please confirm that you made this privacy request. We act on it only once you confirm.</p>" +
                Form(http, antiforgery, ConfirmPath(http, token), "Confirm my request"))
            : Refusal(http, antiforgery, token, link);
    }

    private static async Task<IResult> ConfirmAsync(
        string token, HttpContext http, VerificationService verifications, IAntiforgery antiforgery, CancellationToken cancellationToken)
    {
        if (!await antiforgery.IsRequestValidAsync(http))
        {
            return FormExpired(http);
        }

        var link = await verifications.LookUpAsync(token, cancellationToken);
        if (link.State != LinkState.Valid)
        {
            return Refusal(http, antiforgery, token, link);
        }

        if (!await verifications.ConfirmAsync(link.Verification!, cancellationToken))
        {
            // Used or expired between the look-up and the update: show what it is now.
            return Refusal(http, antiforgery, token, await verifications.LookUpAsync(token, cancellationToken));
        }

        return Page(http, StatusCodes.Status200OK, "Thank you, your request is confirmed",
            $"<p>Thank you. We have confirmed your request {Encode(link.Verification!.Reference)} and are now working on it. " +
            "We will email you when it is done.</p>");
    }

    private static async Task<IResult> RenewAsync(
        string token, HttpContext http, VerificationService verifications, IAntiforgery antiforgery, CancellationToken cancellationToken)
    {
        if (!await antiforgery.IsRequestValidAsync(http))
        {
            return FormExpired(http);
        }

        var link = await verifications.LookUpAsync(token, cancellationToken);
        if (link.State != LinkState.Expired)
        {
            return link.State == LinkState.Valid
                ? Page(http, StatusCodes.Status200OK, "Your link is still valid",
                    "<p>This link still works; no new link is needed.</p>" + Form(http, antiforgery, ConfirmPath(http, token), "Confirm my request"))
                : Refusal(http, antiforgery, token, link);
        }

        var outcome = await verifications.RenewAsync(link.Verification!, cancellationToken);
        return outcome == IssueOutcome.AlreadyVerified
            ? UsedPage(http)
            : Page(http, StatusCodes.Status200OK, "We have sent you a new link",
                "<p>We have sent you a new link by email. Please open it and confirm your request there.</p>");
    }

    private static IResult Refusal(HttpContext http, IAntiforgery antiforgery, string token, LinkLookup link) => link.State switch
    {
        LinkState.Expired => Page(http, StatusCodes.Status410Gone, "This link has expired",
            "<p>For your protection, verification links work only for a limited time, and this one has expired. " +
            "We can send a new link to the email address you gave us.</p>" +
            Form(http, antiforgery, ConfirmPath(http, token) + "/renew", "Send me a new link")),
        LinkState.Used => UsedPage(http),
        _ => Page(http, StatusCodes.Status404NotFound, "This link is not valid",
            "<p>We do not recognise this link. Please check that you copied the whole link from our email.</p>"),
    };

    private static IResult UsedPage(HttpContext http) =>
        Page(http, StatusCodes.Status200OK, "This link has already been used",
            "<p>This link has already been used, and your request is confirmed. You do not need to do anything more; " +
            "we will email you when your request is done.</p>");

    private static IResult FormExpired(HttpContext http) =>
        Page(http, StatusCodes.Status400BadRequest, "Please try again",
            "<p>We could not accept this form. Please open the link from our email again and use the button on that page.</p>");

    private static string ConfirmPath(HttpContext http, string token) =>
        $"{http.Request.PathBase}/verify/{Uri.EscapeDataString(token)}";

    /// <summary>A form posting to <paramref name="action"/> with its antiforgery token.</summary>
    private static string Form(HttpContext http, IAntiforgery antiforgery, string action, string button)
    {
        var tokens = antiforgery.GetAndStoreTokens(http);
        return $"""
            <form method="post" action="{Encode(action)}">
            <input type="hidden" name="{Encode(tokens.FormFieldName)}" value="{Encode(tokens.RequestToken ?? "")}">
            <button type="submit">{Encode(button)}</button>
            </form>
            """;
    }

    private static IResult Page(HttpContext http, int statusCode, string title, string bodyHtml)
    {
        // The link is a credential: keep it out of caches and referrers.
        http.Response.Headers.CacheControl = "no-store";
        http.Response.Headers["Referrer-Policy"] = "no-referrer";
        var html = new StringBuilder()
            .Append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
            .Append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
            .Append("<title>").Append(Encode(title)).Append(" – Closely</title>\n</head>\n<body>\n<main>\n")
            .Append("<h1>").Append(Encode(title)).Append("</h1>\n")
            .Append(bodyHtml)
            .Append("\n</main>\n</body>\n</html>\n")
            .ToString();
        return Results.Content(html, "text/html; charset=utf-8", Encoding.UTF8, statusCode);
    }

    private static string Encode(string value) => HtmlEncoder.Default.Encode(value);
}
