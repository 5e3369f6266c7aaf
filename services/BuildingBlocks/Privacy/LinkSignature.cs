using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace Closely.BuildingBlocks.Privacy;

/// <summary>
/// The signature of the platform's emailed links: HMAC-SHA256 under a configured key over what the link stands for
/// (ids and expiry), base64url-encoded, checked in constant time. Identity's verification links and DataLocator's
/// download links sign with it, each over its own text, so that one kind of link never passes for another.
/// </summary>
public static class LinkSignature
{
    public static string Sign(byte[] key, string payload) =>
        Base64Url.EncodeToString(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(payload)));

    /// <summary>Whether <paramref name="signature"/> is <see cref="Sign"/>'s for <paramref name="payload"/> (constant time).</summary>
    public static bool IsGenuine(byte[] key, string payload, string signature)
    {
        ArgumentNullException.ThrowIfNull(signature);
        var buffer = new byte[64];
        return Base64Url.IsValid(signature)
            && Base64Url.TryDecodeFromChars(signature, buffer, out var written)
            && CryptographicOperations.FixedTimeEquals(buffer.AsSpan(0, written), HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(payload)));
    }
}
