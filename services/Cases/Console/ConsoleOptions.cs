using System.ComponentModel.DataAnnotations;
using Closely.BuildingBlocks.Privacy;

namespace Closely.Cases.DpoConsole;

/// <summary>
/// Settings of the DPO console, from configuration section <c>Console</c>: its users, e.g.
/// <c>Console:Users:anna:PasswordHash</c> (made by <c>hash-password</c>), <c>Console:Users:anna:Role</c>
/// (<c>dpo</c> or <c>viewer</c>) and <c>Console:Users:anna:TotpSecret</c> (made by <c>totp-secret</c>; required for
/// <c>dpo</c>), and how sign-ins and sessions are limited. Read again on every request: a user removed, demoted or
/// given a new password or secret is signed out.
/// </summary>
public sealed class ConsoleOptions
{
    public const string SectionName = "Console";

    /// <summary>The console's users by name (case-insensitive).</summary>
    public Dictionary<string, ConsoleUser> Users { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>How many sign-in attempts one address may make per minute.</summary>
    [Range(1, 1000)]
    public int SignInPermitsPerMinute { get; set; } = 10;

    /// <summary>How many failed sign-ins one account name may have within <see cref="SignInFailureWindow"/> before its sign-in is refused.</summary>
    [Range(1, 1000)]
    public int SignInFailuresPerAccount { get; set; } = 5;

    /// <summary>How long failed sign-ins count against an account, from the first of them.</summary>
    public TimeSpan SignInFailureWindow { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>How long a sign-in lasts without activity (sliding).</summary>
    public TimeSpan SessionLifetime { get; set; } = TimeSpan.FromMinutes(30);

    /// <summary>How long a sign-in lasts at most, however active: then the user signs in again.</summary>
    public TimeSpan AbsoluteSessionLifetime { get; set; } = TimeSpan.FromHours(12);
}

public sealed class ConsoleUser
{
    /// <summary>A PBKDF2 password hash (<c>dotnet run --project services/Cases -- hash-password</c>, <see cref="ConsolePasswordHash"/>).</summary>
    public string PasswordHash { get; set; } = "";

    /// <summary><see cref="ConsoleRoles.Dpo"/> acts on cases; <see cref="ConsoleRoles.Viewer"/> only reads.</summary>
    public string Role { get; set; } = "";

    /// <summary>
    /// The base32 secret of the user's authenticator app (<c>dotnet run --project services/Cases -- totp-secret &lt;name&gt;</c>):
    /// sign-in then asks for its current code. Required for <see cref="ConsoleRoles.Dpo"/>.
    /// </summary>
    public string TotpSecret { get; set; } = "";
}

public static class ConsoleRoles
{
    public const string Dpo = "dpo";

    public const string Viewer = "viewer";

    /// <summary>Why the users section is wrong, or null when every user has a hash, a known role and, where needed, a TOTP secret.</summary>
    public static string? Problem(ConsoleOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        foreach (var (name, user) in options.Users)
        {
            if (name.StartsWith(PersonalDataProtector.PseudonymPrefix, StringComparison.OrdinalIgnoreCase))
            {
                return $"Console:Users:{name}: a user name may not start with '{PersonalDataProtector.PseudonymPrefix}', which marks pseudonyms in the audit trail.";
            }

            if (string.IsNullOrWhiteSpace(user.PasswordHash))
            {
                return $"Console:Users:{name}:PasswordHash is empty; make one with `dotnet run --project services/Cases -- hash-password`.";
            }

            if (!ConsolePasswordHash.IsWellFormed(user.PasswordHash))
            {
                return $"Console:Users:{name}:PasswordHash is not a password hash; make one with `dotnet run --project services/Cases -- hash-password`.";
            }

            if (user.Role is not (Dpo or Viewer))
            {
                return $"Console:Users:{name}:Role is '{user.Role}'; it must be '{Dpo}' or '{Viewer}'.";
            }

            if (user.TotpSecret.Length == 0 ? user.Role == Dpo : !TotpCodes.IsSecret(user.TotpSecret))
            {
                return $"Console:Users:{name}:TotpSecret " + (user.TotpSecret.Length == 0 ? "is required for a dpo user" : "is not base32 of at least 16 bytes") +
                    $"; make one with `dotnet run --project services/Cases -- totp-secret {name}`.";
            }
        }

        return null;
    }
}
