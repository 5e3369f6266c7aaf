using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;

namespace Closely.Cases.DpoConsole.Pages;

/// <summary>
/// Signs a console user in with name, password and, where the account has one, the authenticator's code. Every
/// attempt is logged with the pseudonym of the name typed (a keyed hash), never the name: it may be anything, even
/// a password typed into the wrong field.
/// </summary>
[EnableRateLimiting(ConsoleExtensions.SignInRateLimitPolicy)]
public sealed partial class SignInModel(ConsoleUsers users, ILogger<SignInModel> logger) : PageModel
{
    public string? UserName { get; private set; }

    public string? ReturnUrl { get; private set; }

    /// <summary>What the last attempt came to; null before any.</summary>
    public SignInOutcome? Outcome { get; private set; }

    public void OnGet(string? returnUrl) => ReturnUrl = returnUrl;

    public async Task<IActionResult> OnPostAsync(string? userName, string? password, string? code, string? returnUrl)
    {
        var result = users.SignIn(userName ?? "", password ?? "", code);
        if (result.Principal is null)
        {
            if (result.Outcome == SignInOutcome.Throttled)
            {
                LogThrottled(result.Account);
            }
            else
            {
                LogFailed(result.Account);
            }

            UserName = userName;
            ReturnUrl = returnUrl;
            Outcome = result.Outcome;
            Response.StatusCode = result.Outcome == SignInOutcome.Throttled ? StatusCodes.Status429TooManyRequests : StatusCodes.Status401Unauthorized;
            return Page();
        }

        await HttpContext.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, result.Principal);
        LogSignedIn(result.Account);
        if (result.WeakPasswordHash)
        {
            LogWeakHash(result.Account, ConsolePasswordHash.Iterations);
        }

        return LocalRedirect(Url.IsLocalUrl(returnUrl) ? returnUrl : "/cases");
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Console user {Account} signed in")]
    private partial void LogSignedIn(string account);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A console sign-in failed for {Account}")]
    private partial void LogFailed(string account);

    [LoggerMessage(Level = LogLevel.Warning, Message = "A console sign-in for {Account} was refused: too many failed sign-ins")]
    private partial void LogThrottled(string account);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "The password hash of console user {Account} is weaker than PBKDF2-HMAC-SHA256 with {Iterations} iterations: make a new one with hash-password")]
    private partial void LogWeakHash(string account, int iterations);
}
