using Closely.BuildingBlocks.Web;
using Closely.Cases.Audit;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;

namespace Closely.Cases.DpoConsole;

/// <summary>
/// The DPO console: server-rendered pages and the internal case API, behind a cookie sign-in with the
/// users, roles and second factor of <see cref="ConsoleOptions"/>, checked again on every request. Every endpoint
/// needs a signed-in user unless it says otherwise (the fallback policy: a new endpoint is closed by default); only
/// the sign-in page, <c>/health</c> and <c>/alive</c> are anonymous. Pages redirect anonymous visitors to the
/// sign-in; the API answers them 401.
/// </summary>
public static class ConsoleExtensions
{
    public const string SignInRateLimitPolicy = "console-sign-in";
    public const string SignInPath = "/signin";

    public static IHostApplicationBuilder AddCasesConsole(this IHostApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        builder.Services.AddOptions<ConsoleOptions>()
            .Bind(builder.Configuration.GetSection(ConsoleOptions.SectionName))
            .ValidateDataAnnotations()
            .ValidateOnStart();
        builder.Services.AddSingleton<IValidateOptions<ConsoleOptions>, ConsoleUsersValidation>();
        builder.Services.AddSingleton<ConsoleUsers>();
        builder.Services.AddSingleton<TotpCodes>();
        builder.Services.AddSingleton<SignInThrottle>();
        builder.Services.AddScoped<CaseQueries>();

        builder.Services.AddAuthentication(CookieAuthenticationDefaults.AuthenticationScheme)
            .AddCookie(cookie =>
            {
                cookie.Cookie.Name = "closely-console";
                cookie.Cookie.HttpOnly = true;
                cookie.Cookie.SameSite = SameSiteMode.Strict;
                cookie.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                cookie.SlidingExpiration = true;
                cookie.LoginPath = SignInPath;
                cookie.Events.OnRedirectToLogin = context =>
                {
                    if (IsPage(context.HttpContext))
                    {
                        context.Response.Redirect(context.RedirectUri);
                    }
                    else
                    {
                        context.Response.StatusCode = StatusCodes.Status401Unauthorized;
                    }

                    return Task.CompletedTask;
                };
                cookie.Events.OnRedirectToAccessDenied = context =>
                {
                    context.Response.StatusCode = StatusCodes.Status403Forbidden;
                    return Task.CompletedTask;
                };
                cookie.Events.OnValidatePrincipal = EndOutdatedSessionAsync;
            });
        builder.Services.AddOptions<CookieAuthenticationOptions>(CookieAuthenticationDefaults.AuthenticationScheme)
            .Configure<IOptions<ConsoleOptions>, TimeProvider>((cookie, console, clock) =>
            {
                cookie.ExpireTimeSpan = console.Value.SessionLifetime;
                cookie.TimeProvider = clock;
            });
        builder.Services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build())
            .AddPolicy(ConsoleRoles.Dpo, policy => policy.RequireRole(ConsoleRoles.Dpo));

        builder.Services.AddRazorPages(pages =>
        {
            pages.RootDirectory = "/Console/Pages";
            pages.Conventions.AllowAnonymousToPage("/SignIn");
        }).AddMvcOptions(mvc => mvc.Filters.Add<DpoActionFilter>());

        builder.Services.AddRateLimiter(limiter =>
        {
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.AddPolicy(SignInRateLimitPolicy, http => ClientAddressRateLimit.PostsPerMinute(
                http, http.RequestServices.GetRequiredService<IOptions<ConsoleOptions>>().Value.SignInPermitsPerMinute));
        });
        return builder;
    }

    /// <summary>Pages hold personal data: the middleware keeps them out of caches.</summary>
    public static WebApplication UseConsoleSecurityHeaders(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.Use(async (context, next) =>
        {
            if (!context.Request.Path.StartsWithSegments("/health") && !context.Request.Path.StartsWithSegments("/alive"))
            {
                // Framing, sniffing, referrers and the CSP: WebSecurity, as for every page of the platform.
                context.Response.Headers.CacheControl = "no-store";
            }

            await next(context);
        });
        return app;
    }

    /// <summary>The console's pages and API; the fallback policy requires a signed-in user for every one of them.</summary>
    public static RouteGroupBuilder MapCasesConsole(this WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.MapRazorPages();
        var console = app.MapGroup("");
        console.MapGet("/", () => Results.Redirect("/cases")).ExcludeFromDescription();
        console.MapCaseApi();
        console.MapCaseAuditEndpoints();
        return console;
    }

    /// <summary>
    /// Checks the session against the configuration as it is now (<see cref="ConsoleUsers.SessionProblem"/>) and ends it
    /// when the user was removed or demoted, their credentials changed, or the absolute lifetime passed.
    /// </summary>
    private static async Task EndOutdatedSessionAsync(CookieValidatePrincipalContext context)
    {
        var users = context.HttpContext.RequestServices.GetRequiredService<ConsoleUsers>();
        if (context.Principal is not { } principal || users.SessionProblem(principal) is not { } problem)
        {
            return;
        }

        context.RejectPrincipal();
        await context.HttpContext.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
        context.HttpContext.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(ConsoleExtensions))
            .LogInformation("The console session of {Account} ended: {Reason}", users.PseudonymOf(principal), problem);
    }

    private static bool IsPage(HttpContext context) =>
        context.GetEndpoint()?.Metadata.GetMetadata<PageActionDescriptor>() is not null || context.Request.Path == "/";

    private sealed class ConsoleUsersValidation : IValidateOptions<ConsoleOptions>
    {
        public ValidateOptionsResult Validate(string? name, ConsoleOptions options) =>
            ConsoleRoles.Problem(options) is { } problem ? ValidateOptionsResult.Fail(problem) : ValidateOptionsResult.Success;
    }
}
