using System.ComponentModel.DataAnnotations;

namespace Closely.Cases.DpoConsole;

/// <summary>
/// Settings of the DPO console, from configuration section <c>Console</c>: its users, e.g.
/// <c>Console:Users:anna:PasswordHash</c> (made by <c>hash-password</c>) and <c>Console:Users:anna:Role</c>
/// (<c>dpo</c> or <c>viewer</c>).
/// </summary>
public sealed class ConsoleOptions
{
    public const string SectionName = "Console";

    /// <summary>The console's users by name (case-insensitive).</summary>
    public Dictionary<string, ConsoleUser> Users { get; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>How many sign-in attempts one address may make per minute.</summary>
    [Range(1, 1000)]
    public int SignInPermitsPerMinute { get; set; } = 10;

    /// <summary>How long a sign-in lasts without activity.</summary>
    public TimeSpan SessionLifetime { get; set; } = TimeSpan.FromHours(8);
}

public sealed class ConsoleUser
{
    /// <summary>ASP.NET Core Identity's PBKDF2 password hash (<c>dotnet run --project services/Cases -- hash-password</c>).</summary>
    public string PasswordHash { get; set; } = "";

    /// <summary><see cref="ConsoleRoles.Dpo"/> acts on cases; <see cref="ConsoleRoles.Viewer"/> only reads.</summary>
    public string Role { get; set; } = "";
}

public static class ConsoleRoles
{
    public const string Dpo = "dpo";

    public const string Viewer = "viewer";

    /// <summary>Why the users section is wrong, or null when every user has a hash and a known role.</summary>
    public static string? Problem(ConsoleOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        foreach (var (name, user) in options.Users)
        {
            if (string.IsNullOrWhiteSpace(user.PasswordHash))
            {
                return $"Console:Users:{name}:PasswordHash is empty; make one with `dotnet run --project services/Cases -- hash-password`.";
            }

            if (user.Role is not (Dpo or Viewer))
            {
                return $"Console:Users:{name}:Role is '{user.Role}'; it must be '{Dpo}' or '{Viewer}'.";
            }
        }

        return null;
    }
}
