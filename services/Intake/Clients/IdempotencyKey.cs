using System.Text;

namespace Closely.Intake.Clients;

/// <summary>
/// The <c>Idempotency-Key</c> request header (IETF httpapi draft "The Idempotency-Key HTTP Header Field"):
/// a Structured Field string such as <c>"8e03978e-40d5-43e8-bc93-6894a57f9324"</c>. A bare value without
/// quotes is taken as is, as many clients send it that way.
/// </summary>
public static class IdempotencyKey
{
    public const string HeaderName = "Idempotency-Key";

    /// <summary>The longest key kept (the column's length).</summary>
    public const int MaxLength = 128;

    /// <summary>The key, or null with the reason when the header is missing or not a usable key.</summary>
    public static string? Parse(IReadOnlyList<string?> values, out string? problem)
    {
        ArgumentNullException.ThrowIfNull(values);
        problem = null;
        if (values.Count == 0 || string.IsNullOrWhiteSpace(values[0]))
        {
            problem = $"The {HeaderName} header is required: send a unique value per request and the same value when retrying it.";
            return null;
        }

        if (values.Count > 1)
        {
            problem = $"Send one {HeaderName} header.";
            return null;
        }

        var raw = values[0]!.Trim();
        var key = raw.StartsWith('"') ? Unquote(raw) : raw;
        if (key is null || key.Length is 0 or > MaxLength || !key.All(c => c is >= ' ' and <= '~'))
        {
            problem = $"The {HeaderName} header must be 1 to {MaxLength} printable ASCII characters, optionally as a quoted string.";
            return null;
        }

        return key;
    }

    /// <summary>An sf-string: quotes around, backslash escapes only before a quote or a backslash.</summary>
    private static string? Unquote(string raw)
    {
        if (raw.Length < 2 || raw[^1] != '"')
        {
            return null;
        }

        var key = new StringBuilder(raw.Length);
        for (var i = 1; i < raw.Length - 1; i++)
        {
            var c = raw[i];
            if (c == '"')
            {
                return null;
            }

            if (c == '\\')
            {
                if (i + 1 >= raw.Length - 1 || raw[i + 1] is not ('"' or '\\'))
                {
                    return null;
                }

                c = raw[++i];
            }

            key.Append(c);
        }

        return key.ToString();
    }
}
