using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace Closely.Intake.Requests;

/// <summary>Human references and status tokens.</summary>
public static class RequestTokens
{
    /// <summary>Digits and capitals without 0, O, 1 and I, which readers confuse.</summary>
    public const string ReferenceAlphabet = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ";

    public const int ReferenceLength = 6;

    /// <summary>A reference such as <c>DSR-2026-7K3M9Q</c>.</summary>
    public static string NewReference(int year) =>
        $"DSR-{year:D4}-{new string(RandomNumberGenerator.GetItems<char>(ReferenceAlphabet, ReferenceLength))}";

    /// <summary>32 random bytes, base64url.</summary>
    public static string NewStatusToken() => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));

    public static byte[] Hash(string token)
    {
        ArgumentNullException.ThrowIfNull(token);
        return SHA256.HashData(Encoding.UTF8.GetBytes(token));
    }

    /// <summary>Whether <paramref name="token"/> hashes to <paramref name="expectedHash"/>, in constant time.</summary>
    public static bool Matches(string? token, byte[] expectedHash)
    {
        ArgumentNullException.ThrowIfNull(expectedHash);
        return token is not null && CryptographicOperations.FixedTimeEquals(Hash(token), expectedHash);
    }
}
