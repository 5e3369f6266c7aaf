using System.ComponentModel.DataAnnotations;

namespace Closely.Identity.Verification;

/// <summary>Settings of the email-link verification, from configuration section <c>Identity</c>.</summary>
public sealed class IdentityOptions
{
    public const string SectionName = "Identity";

    /// <summary>Base64 of 32 random bytes: the HMAC-SHA256 key that signs verification links.</summary>
    [Required]
    public string LinkSigningKey { get; set; } = "";

    /// <summary>How long a verification link stays valid.</summary>
    public TimeSpan LinkLifetime { get; set; } = TimeSpan.FromHours(72);

    /// <summary>Where requesters reach the verification pages; links start with it.</summary>
    [Required]
    public Uri PublicBaseUrl { get; set; } = new("http://127.0.0.1:5300");

    /// <summary>Requests to the verification pages one IP address may make per <see cref="RateLimitWindow"/>.</summary>
    [Range(1, 100_000)]
    public int RateLimitPermits { get; set; } = 30;

    public TimeSpan RateLimitWindow { get; set; } = TimeSpan.FromMinutes(1);
}
