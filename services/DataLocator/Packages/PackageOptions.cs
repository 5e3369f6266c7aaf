using System.ComponentModel.DataAnnotations;

namespace Closely.DataLocator.Packages;

/// <summary>Settings of the access and portability packages, from configuration section <c>Packages</c>.</summary>
public sealed class PackageOptions
{
    public const string SectionName = "Packages";

    /// <summary>
    /// Where the package store keeps its files (encrypted), one folder per case; every DataLocator instance must see
    /// the same folder. Relative paths are under the service's content root.
    /// </summary>
    [Required]
    public string Directory { get; set; } = "packages";

    /// <summary>Base64 of 32 random bytes: the HMAC-SHA256 key that signs download links.</summary>
    [Required]
    public string LinkSigningKey { get; set; } = "";

    /// <summary>How long a download link works; the package is purged when it ends.</summary>
    public TimeSpan LinkLifetime { get; set; } = TimeSpan.FromDays(7);

    /// <summary>Where requesters reach the download pages (this service); links start with it.</summary>
    [Required]
    public Uri PublicBaseUrl { get; set; } = new("http://127.0.0.1:5400");

    /// <summary>The privacy centre, where an expired link's page sends the requester to ask again.</summary>
    [Required]
    public Uri PrivacyCentreUrl { get; set; } = new("http://127.0.0.1:5100/");

    /// <summary>How often expired packages are looked for and purged.</summary>
    public TimeSpan PurgeInterval { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>The most rows one entity of one store may put into a package; an export beyond it fails for the DPO to look at.</summary>
    [Range(1, int.MaxValue)]
    public int MaxRowsPerEntity { get; set; } = 1_000_000;

    /// <summary>Requests to the download pages one IP address may make per minute.</summary>
    [Range(1, 100_000)]
    public int RateLimitPermitsPerMinute { get; set; } = 30;
}
