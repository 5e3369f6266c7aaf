using System.Security.Claims;
using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Authentication;
using Microsoft.Extensions.Options;

namespace Closely.Intake.Clients;

/// <summary>
/// Authenticates a client by the API key in <see cref="HeaderName"/>; the principal carries the client id.
/// A missing or unknown key is answered 401 with a ProblemDetails body.
/// </summary>
public sealed class ClientApiKeyHandler(
    IOptionsMonitor<AuthenticationSchemeOptions> options,
    ILoggerFactory logger,
    UrlEncoder encoder,
    ClientDirectory clients,
    IProblemDetailsService problems)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    public const string SchemeName = "ClientApiKey";
    public const string PolicyName = "client-api";
    public const string HeaderName = "X-Api-Key";
    public const string ClientIdClaim = "closely:client_id";

    /// <summary>The longest key looked at; longer values are refused without hashing.</summary>
    private const int MaxKeyLength = 256;

    /// <summary>The id of the authenticated client of the request.</summary>
    public static string ClientIdOf(ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return user.FindFirstValue(ClientIdClaim)
            ?? throw new InvalidOperationException("The request was not authenticated with a client API key.");
    }

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (!Request.Headers.TryGetValue(HeaderName, out var values) || values.Count == 0 || string.IsNullOrEmpty(values[0]))
        {
            // No key, no opinion: as the only scheme, this one is also asked about every other route.
            return Task.FromResult(AuthenticateResult.NoResult());
        }

        var key = values[0]!;
        var client = values.Count == 1 && key.Length <= MaxKeyLength ? clients.FindByApiKey(key) : null;
        if (client is null)
        {
            return Task.FromResult(AuthenticateResult.Fail("The API key is not valid."));
        }

        var identity = new ClaimsIdentity([new Claim(ClientIdClaim, client.Id)], SchemeName);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName)));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var result = await HandleAuthenticateOnceSafeAsync();
        Response.StatusCode = StatusCodes.Status401Unauthorized;
        Response.Headers.WWWAuthenticate = $"{SchemeName} header=\"{HeaderName}\"";
        await problems.WriteAsync(new ProblemDetailsContext
        {
            HttpContext = Context,
            ProblemDetails =
            {
                Status = StatusCodes.Status401Unauthorized,
                Title = "Unauthorized",
                Detail = result.Failure?.Message ?? $"The {HeaderName} header with the client's API key is missing.",
            },
        });
    }
}
