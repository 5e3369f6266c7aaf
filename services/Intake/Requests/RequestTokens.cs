using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using Closely.BuildingBlocks.Localization;

namespace Closely.Intake.Requests;

/// <summary>Human references, status tokens and status links.</summary>
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

    /// <summary>
    /// The requester's status link: JSON for an API client, the status page for a browser, opening in
    /// <paramref name="language"/>. The token is its only credential; the URL names no person.
    /// </summary>
    public static Uri StatusUrl(Uri publicBaseUrl, Guid id, string token, string language) =>
        new(publicBaseUrl, $"/api/requests/{id}/status?token={Uri.EscapeDataString(token)}&{PublicLanguages.QueryKey}={language}");

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
