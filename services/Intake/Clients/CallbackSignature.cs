using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace Closely.Intake.Clients;

/// <summary>
/// Signs status callbacks and verifies them; <see cref="Verify"/> is written to be copied into a client's
/// receiver as is (it needs nothing but the base class library).
/// <para>
/// Each callback carries <c>X-Closely-Timestamp</c> (Unix seconds when it was sent) and
/// <c>X-Closely-Signature: v1=&lt;hex&gt;</c>, the lower-case hex HMAC-SHA256, keyed with the UTF-8 bytes of
/// the client's callback secret, of the UTF-8 timestamp, a full stop and the raw body bytes exactly as
/// received: <c>HMAC(secret, timestamp + "." + body)</c>. While a secret is being replaced the header may
/// hold several comma-separated <c>v1=</c> values; one match is enough. Verify the raw bytes before
/// parsing the JSON, and refuse a timestamp further from your clock than a few minutes, so that a
/// recorded callback cannot be replayed later.
/// </para>
/// </summary>
public static class CallbackSignature
{
    public const string TimestampHeader = "X-Closely-Timestamp";
    public const string SignatureHeader = "X-Closely-Signature";
    public const string Version = "v1";

    /// <summary>The tolerance Closely recommends for the timestamp: five minutes either way.</summary>
    public static readonly TimeSpan DefaultTolerance = TimeSpan.FromMinutes(5);

    /// <summary>The <see cref="SignatureHeader"/> value for <paramref name="body"/> sent at <paramref name="timestamp"/>.</summary>
    public static string Sign(string secret, long timestamp, ReadOnlySpan<byte> body)
    {
        ArgumentException.ThrowIfNullOrEmpty(secret);
        return $"{Version}={Convert.ToHexStringLower(Compute(secret, timestamp.ToString(CultureInfo.InvariantCulture), body))}";
    }

    /// <summary>
    /// True when <paramref name="signature"/> holds a <c>v1</c> signature of <paramref name="timestamp"/> and
    /// <paramref name="body"/> under <paramref name="secret"/>, and the timestamp lies within
    /// <paramref name="tolerance"/> of <paramref name="now"/>. Signatures are compared in constant time.
    /// </summary>
    public static bool Verify(string secret, string? timestamp, ReadOnlySpan<byte> body, string? signature, TimeSpan tolerance, DateTimeOffset now)
    {
        ArgumentException.ThrowIfNullOrEmpty(secret);
        if (string.IsNullOrEmpty(timestamp) || string.IsNullOrEmpty(signature)
            || !timestamp.All(char.IsAsciiDigit)
            || !long.TryParse(timestamp, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            || Math.Abs(now.ToUnixTimeSeconds() - seconds) > tolerance.TotalSeconds)
        {
            return false;
        }

        var expected = Compute(secret, timestamp, body);
        var matched = false;
        foreach (var part in signature.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (part.StartsWith(Version + "=", StringComparison.Ordinal)
                && part.Length == Version.Length + 1 + (expected.Length * 2)
                && TryFromHex(part.AsSpan(Version.Length + 1), out var given)
                && CryptographicOperations.FixedTimeEquals(expected, given))
            {
                matched = true;
            }
        }

        return matched;
    }

    private static byte[] Compute(string secret, string timestamp, ReadOnlySpan<byte> body)
    {
        using var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA256, Encoding.UTF8.GetBytes(secret));
        hmac.AppendData(Encoding.UTF8.GetBytes(timestamp + "."));
        hmac.AppendData(body);
        return hmac.GetHashAndReset();
    }

    private static bool TryFromHex(ReadOnlySpan<char> hex, out byte[] bytes)
    {
        bytes = new byte[hex.Length / 2];
        return Convert.FromHexString(hex, bytes, out _, out var written) == System.Buffers.OperationStatus.Done && written == bytes.Length;
    }
}
