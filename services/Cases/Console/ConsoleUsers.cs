using System.Globalization;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Closely.BuildingBlocks.Privacy;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.Extensions.Options;

namespace Closely.Cases.DpoConsole;

public enum SignInOutcome
{
    SignedIn,

    /// <summary>The name, the password or the code is wrong (which one is not said).</summary>
    Failed,

    /// <summary>Too many failures for this account name: refused without looking at the password.</summary>
    Throttled,
}

/// <summary>
/// A sign-in attempt's result. <see cref="Account"/> is the pseudonym of the name typed (a keyed hash; the name itself
/// goes into no log); <see cref="WeakPasswordHash"/> flags a hash made with weaker parameters than now.
/// </summary>
public sealed record SignInResult(SignInOutcome Outcome, string Account, ClaimsPrincipal? Principal = null, bool WeakPasswordHash = false);

/// <summary>
/// Signs console users in against configuration (password hash, TOTP code, per-account throttle), and checks a
/// session on every request against the configuration as it is then.
/// </summary>
public sealed class ConsoleUsers(
    IOptionsMonitor<ConsoleOptions> options, TotpCodes codes, SignInThrottle throttle, PersonalDataProtector protector, TimeProvider clock)
{
    public const string SignedInAtClaim = "closely:signed-in-at";
    public const string CredentialClaim = "closely:credential";

    // An unknown name costs as much as a known one, so timing does not tell which names exist.
    private static readonly string DecoyHash = ConsolePasswordHash.Hash("decoy password for unknown users");

    public SignInResult SignIn(string userName, string password, string? code)
    {
        ArgumentNullException.ThrowIfNull(userName);
        ArgumentNullException.ThrowIfNull(password);
        var typed = userName.Trim();
        var account = protector.Pseudonym(typed);
        if (throttle.IsBlocked(account))
        {
            return new SignInResult(SignInOutcome.Throttled, account);
        }

        var users = options.CurrentValue.Users;
        var known = users.TryGetValue(typed, out var user);
        var (matches, weak) = ConsolePasswordHash.Verify(known ? user!.PasswordHash : DecoyHash, password);
        var name = known ? users.Keys.First(k => string.Equals(k, typed, StringComparison.OrdinalIgnoreCase)) : typed;
        if (!known || !matches || (user!.TotpSecret.Length > 0 && !codes.Accept(name, user.TotpSecret, code)))
        {
            throttle.Failed(account);
            return new SignInResult(SignInOutcome.Failed, account);
        }

        throttle.Succeeded(account);
        var identity = new ClaimsIdentity(
            [
                new Claim(ClaimTypes.Name, name),
                new Claim(ClaimTypes.Role, user.Role),
                new Claim(SignedInAtClaim, clock.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture)),
                new Claim(CredentialClaim, Credential(user)),
            ],
            CookieAuthenticationDefaults.AuthenticationScheme);
        return new SignInResult(SignInOutcome.SignedIn, account, new ClaimsPrincipal(identity), weak);
    }

    /// <summary>
    /// Why the session of <paramref name="principal"/> must end now, or null when it may go on: the user was removed,
    /// their role, password or TOTP secret changed, or the absolute session lifetime passed.
    /// </summary>
    public string? SessionProblem(ClaimsPrincipal principal)
    {
        ArgumentNullException.ThrowIfNull(principal);
        var settings = options.CurrentValue;
        if (principal.Identity?.Name is not { } name || !settings.Users.TryGetValue(name, out var user))
        {
            return "the user is no longer configured";
        }

        if (!principal.IsInRole(user.Role))
        {
            return "the user's role changed";
        }

        if (principal.FindFirstValue(CredentialClaim) != Credential(user))
        {
            return "the user's password or authentication secret changed";
        }

        var signedInAt = long.TryParse(principal.FindFirstValue(SignedInAtClaim), CultureInfo.InvariantCulture, out var seconds)
            ? DateTimeOffset.FromUnixTimeSeconds(seconds)
            : DateTimeOffset.MinValue;
        return clock.GetUtcNow() - signedInAt > settings.AbsoluteSessionLifetime ? "the absolute session lifetime passed" : null;
    }

    public string PseudonymOf(ClaimsPrincipal principal)
    {
        ArgumentNullException.ThrowIfNull(principal);
        return protector.Pseudonym(principal.Identity?.Name ?? "");
    }

    /// <summary>A digest of what the user signs in with: a session ends when it changes.</summary>
    private static string Credential(ConsoleUser user) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes($"{user.PasswordHash}\n{user.TotpSecret}\n{user.Role}")), 0, 16);
}
