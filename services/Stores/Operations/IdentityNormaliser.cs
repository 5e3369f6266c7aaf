using System.Globalization;
using System.Text.RegularExpressions;
using Closely.Stores.Registry;

namespace Closely.Stores.Operations;

/// <summary>
/// One normal form per identity kind, in C# for the values we look for and in SQL for the columns we
/// look in (the sample stores index the same SQL expression, so lookups use the index).
/// Email: trimmed, lower-case. LinkedIn URL: lower-case without scheme, <c>www.</c> and trailing slash.
/// Phone: digits only.
/// </summary>
public static partial class IdentityNormaliser
{
    /// <summary>The fewest digits a phone number needs to stand for one line rather than an exchange or a prefix.</summary>
    public const int MinimumPhoneDigits = 8;

    public static string Normalise(IdentityKind kind, string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var trimmed = value.Trim();
        return kind switch
        {
            IdentityKind.Email => trimmed.ToLowerInvariant(),
            IdentityKind.LinkedIn => NormaliseLinkedIn(trimmed),
            IdentityKind.Phone => new string(trimmed.Where(char.IsAsciiDigit).ToArray()),
            _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
        };
    }

    /// <summary>
    /// Whether a normalised value is specific enough to name one person: an email address with a local part
    /// and a dotted domain; a LinkedIn profile (<c>linkedin.com/in/…</c>, optionally on a country subdomain),
    /// not a company, school or showcase page; a phone number of at least <see cref="MinimumPhoneDigits"/>
    /// digits. Anything less finds nothing and widens nothing.
    /// </summary>
    public static bool IsDistinctive(IdentityKind kind, string normalised)
    {
        ArgumentNullException.ThrowIfNull(normalised);
        return kind switch
        {
            IdentityKind.Email => EmailForm().IsMatch(normalised),
            IdentityKind.LinkedIn => LinkedInProfileForm().IsMatch(normalised),
            IdentityKind.Phone => normalised.Length >= MinimumPhoneDigits,
            _ => false,
        };
    }

    /// <summary>The SQL expression that normalises <paramref name="quotedColumn"/> (an already quoted identifier).</summary>
    public static string SqlExpression(IdentityKind kind, string quotedColumn) => kind switch
    {
        IdentityKind.Email => $"lower(btrim({quotedColumn}))",
        IdentityKind.LinkedIn => $"rtrim(regexp_replace(lower(btrim({quotedColumn})), '^(https?://)?(www\\.)?', ''), '/')",
        IdentityKind.Phone => $"regexp_replace({quotedColumn}, '[^0-9]', '', 'g')",
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, null),
    };

    public static string QuoteIdentifier(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";
    }

    private static string NormaliseLinkedIn(string value)
    {
        var url = value.ToLower(CultureInfo.InvariantCulture);
        foreach (var prefix in new[] { "https://", "http://" })
        {
            if (url.StartsWith(prefix, StringComparison.Ordinal))
            {
                url = url[prefix.Length..];
                break;
            }
        }

        if (url.StartsWith("www.", StringComparison.Ordinal))
        {
            url = url[4..];
        }

        return url.TrimEnd('/');
    }

    [GeneratedRegex(@"^[^@\s]+@[^@\s]+\.[^@\s.]+$")]
    private static partial Regex EmailForm();

    [GeneratedRegex(@"^([a-z]{2,3}\.)?linkedin\.com/in/[^/?#\s]+$")]
    private static partial Regex LinkedInProfileForm();
}
