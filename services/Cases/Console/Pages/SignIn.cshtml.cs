using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;

namespace Closely.Cases.DpoConsole.Pages;

[EnableRateLimiting(ConsoleExtensions.SignInRateLimitPolicy)]
public sealed class SignInModel(ConsoleUsers users, ILogger<SignInModel> logger) : PageModel
{
    public string? UserName { get; private set; }

    public string? ReturnUrl { get; private set; }

    public bool Failed { get; private set; }

    public void OnGet(string? returnUrl) => ReturnUrl = returnUrl;

    public async Task<IActionResult> OnPostAsync(string? userName, string? password, string? returnUrl)
    {
        var principal = users.SignIn(userName ?? "", password ?? "");
        if (principal is null)
        {
            // The name typed may be anything, even an email address: it is not logged.
            logger.LogWarning("A console sign-in failed");
            UserName = userName;
            ReturnUrl = returnUrl;
            Failed = true;
            Response.StatusCode = StatusCodes.Status401Unauthorized;
            return Page();
        }

        await HttpContext.SignInAsync(CookieAuthenticationDefaults.AuthenticationScheme, principal);
        logger.LogInformation("A console user signed in");
        return LocalRedirect(Url.IsLocalUrl(returnUrl) ? returnUrl : "/cases");
    }
}
