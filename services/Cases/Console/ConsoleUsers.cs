using System.Security.Claims;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace Closely.Cases.DpoConsole;

/// <summary>Checks a console user's password against the hash in configuration.</summary>
public sealed class ConsoleUsers(IOptionsMonitor<ConsoleOptions> options)
{
    private static readonly PasswordHasher<string> Hasher = new();

    // An unknown name costs as much as a wrong password, so timing does not tell which names exist.
    private static readonly string DecoyHash = Hasher.HashPassword("", "decoy password for unknown users");

    public static string Hash(string password) => Hasher.HashPassword("", password);

    /// <summary>The signed-in identity of the user, or null when the name or the password is wrong.</summary>
    public ClaimsPrincipal? SignIn(string userName, string password)
    {
        ArgumentNullException.ThrowIfNull(userName);
        ArgumentNullException.ThrowIfNull(password);
        var known = options.CurrentValue.Users.TryGetValue(userName.Trim(), out var user);
        var result = Hasher.VerifyHashedPassword("", known ? user!.PasswordHash : DecoyHash, password);
        if (!known || result == PasswordVerificationResult.Failed)
        {
            return null;
        }

        var name = options.CurrentValue.Users.Keys.First(k => string.Equals(k, userName.Trim(), StringComparison.OrdinalIgnoreCase));
        var identity = new ClaimsIdentity(
            [new Claim(ClaimTypes.Name, name), new Claim(ClaimTypes.Role, user!.Role)],
            CookieAuthenticationDefaults.AuthenticationScheme);
        return new ClaimsPrincipal(identity);
    }
}
