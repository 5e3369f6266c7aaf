using System.ComponentModel.DataAnnotations;

namespace Closely.BuildingBlocks.Privacy;

/// <summary>Keys for column encryption and blind indexes, from configuration section <c>Privacy</c>.</summary>
public sealed class PrivacyOptions
{
    public const string SectionName = "Privacy";

    /// <summary>Base64 of 32 random bytes: the AES-256-GCM key for personal data columns.</summary>
    [Required]
    public string EncryptionKey { get; set; } = "";

    /// <summary>Base64 of 32 random bytes: the HMAC-SHA256 key for blind indexes and log pseudonyms.</summary>
    [Required]
    public string BlindIndexKey { get; set; } = "";
}
