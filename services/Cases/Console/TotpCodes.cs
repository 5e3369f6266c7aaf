using OtpNet;

namespace Closely.Cases.DpoConsole;

/// <summary>
/// The second factor: RFC 6238 codes (SHA-1, 6 digits, 30 s, as authenticator apps make them) from the user's secret,
/// one step either side allowed for clock drift. A code is accepted once: a step at or before the last one accepted
/// for that user is refused, so a code seen over a shoulder or in a proxy log cannot be used again.
/// </summary>
public sealed class TotpCodes(TimeProvider clock)
{
    private const int MinimumSecretBytes = 16;

    private readonly Dictionary<string, long> _lastAccepted = new(StringComparer.OrdinalIgnoreCase);
    private readonly Lock _gate = new();

    /// <summary>True when <paramref name="code"/> is the user's current code and was not used before.</summary>
    public bool Accept(string userName, string secret, string? code)
    {
        ArgumentNullException.ThrowIfNull(userName);
        var digits = new string((code ?? "").Where(c => !char.IsWhiteSpace(c)).ToArray());
        if (digits.Length != 6 || !digits.All(char.IsAsciiDigit)
            || !new Totp(Base32Encoding.ToBytes(secret)).VerifyTotp(clock.GetUtcNow().UtcDateTime, digits, out var step, VerificationWindow.RfcSpecifiedNetworkDelay))
        {
            return false;
        }

        lock (_gate)
        {
            if (_lastAccepted.TryGetValue(userName, out var last) && step <= last)
            {
                return false;
            }

            _lastAccepted[userName] = step;
            return true;
        }
    }

    /// <summary>A new secret of 20 random bytes, base32, for <c>Console:Users:&lt;name&gt;:TotpSecret</c>.</summary>
    public static string NewSecret() => Base32Encoding.ToString(KeyGeneration.GenerateRandomKey(20));

    /// <summary>What an authenticator app scans (as a QR code) or takes typed in.</summary>
    public static string EnrolmentUri(string userName, string secret) => new OtpUri(OtpType.Totp, secret, userName, "Closely DPO console").ToString();

    public static bool IsSecret(string value)
    {
        try
        {
            return Base32Encoding.ToBytes(value).Length >= MinimumSecretBytes;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }
}
