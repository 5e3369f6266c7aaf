using System.Globalization;
using Closely.BuildingBlocks.Localization;
using Closely.BuildingBlocks.Privacy;
using Microsoft.Extensions.Options;

namespace Closely.DataLocator.Packages;

/// <summary>
/// Makes and checks the download links <c>{PublicBaseUrl}/download?token={caseId}.{packageId}.{expiry}.{signature}&amp;lang=</c>:
/// the signature (<see cref="LinkSignature"/>) covers the case, the package and the expiry, so a link cannot be forged,
/// pointed at another package or extended; it opens a page, and only that page's POST downloads.
/// </summary>
public sealed class DownloadLinks
{
    private readonly byte[] _key;
    private readonly Uri _baseUrl;

    public DownloadLinks(IOptions<PackageOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _key = KeySetting.Decode(options.Value.LinkSigningKey, $"{PackageOptions.SectionName}:{nameof(PackageOptions.LinkSigningKey)}");
        _baseUrl = options.Value.PublicBaseUrl;
    }

    public Uri Link(PackageRecord package)
    {
        ArgumentNullException.ThrowIfNull(package);
        var token = string.Create(CultureInfo.InvariantCulture,
            $"{package.CaseId:N}.{package.PackageId:N}.{package.ExpiresAt.ToUnixTimeSeconds()}");
        token += "." + LinkSignature.Sign(_key, SignedText(token));
        return new Uri($"{_baseUrl.ToString().TrimEnd('/')}/download?token={token}&{PublicLanguages.QueryKey}={package.Language}");
    }

    /// <summary>The case and package a genuine token names, or null for a malformed or forged one.</summary>
    public (Guid CaseId, Guid PackageId)? Read(string token)
    {
        ArgumentNullException.ThrowIfNull(token);
        var parts = token.Split('.');
        if (parts.Length != 4
            || !Guid.TryParseExact(parts[0], "N", out var caseId)
            || !Guid.TryParseExact(parts[1], "N", out var packageId)
            || !long.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out _)
            || !LinkSignature.IsGenuine(_key, SignedText(string.Join('.', parts[..3])), parts[3]))
        {
            return null;
        }

        return (caseId, packageId);
    }

    // A download link's text differs from a verification link's, so neither passes for the other under one key.
    private static string SignedText(string token) => "download|" + token;
}
