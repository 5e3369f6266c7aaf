using System.Buffers.Text;
using System.Security.Cryptography;
using Closely.BuildingBlocks.Localization;
using Closely.BuildingBlocks.Privacy;
using Microsoft.Extensions.Options;

namespace Closely.Identity.Verification;

/// <summary>
/// Makes and checks the links <c>{PublicBaseUrl}/verify?token={tokenId}.{signature}&amp;lang={language}</c>, where the signature is
/// HMAC-SHA256 over the token id, the case id and the expiry, so that a link cannot be forged or altered.
/// </summary>
public sealed class VerificationLinks
{
    private readonly byte[] _key;
    private readonly Uri _baseUrl;

    public VerificationLinks(IOptions<IdentityOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _key = KeySetting.Decode(options.Value.LinkSigningKey, $"{IdentityOptions.SectionName}:{nameof(IdentityOptions.LinkSigningKey)}");
        _baseUrl = options.Value.PublicBaseUrl;
    }

    public static string NewTokenId() => Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(16));

    /// <summary>The token as it appears in the link: <c>{tokenId}.{signature}</c>.</summary>
    public string Token(EmailVerification verification)
    {
        ArgumentNullException.ThrowIfNull(verification);
        return verification.TokenId + "." + LinkSignature.Sign(_key, SignedText(verification));
    }

    /// <summary>The link, opening its page in the case's language (<c>?lang=</c>, which the signature does not cover).</summary>
    public Uri Link(EmailVerification verification) =>
        new($"{_baseUrl.ToString().TrimEnd('/')}/verify?token={Token(verification)}&{PublicLanguages.QueryKey}={verification.Language}");

    /// <summary>The token id of a well-formed token; whether it is genuine is known only with its row (<see cref="IsGenuine"/>).</summary>
    public static string? TokenIdOf(string token)
    {
        ArgumentNullException.ThrowIfNull(token);
        var dot = token.IndexOf('.', StringComparison.Ordinal);
        return dot is > 0 and <= 64 ? token[..dot] : null;
    }

    /// <summary>Whether <paramref name="token"/> carries the right signature for <paramref name="verification"/> (constant time).</summary>
    public bool IsGenuine(string token, EmailVerification verification)
    {
        ArgumentNullException.ThrowIfNull(token);
        ArgumentNullException.ThrowIfNull(verification);
        var dot = token.IndexOf('.', StringComparison.Ordinal);
        if (dot < 0 || !string.Equals(token[..dot], verification.TokenId, StringComparison.Ordinal))
        {
            return false;
        }

        return LinkSignature.IsGenuine(_key, SignedText(verification), token[(dot + 1)..]);
    }

    private static string SignedText(EmailVerification verification) =>
        $"{verification.TokenId}|{verification.CaseId:N}|{verification.ExpiresAt.ToUnixTimeSeconds()}";
}
