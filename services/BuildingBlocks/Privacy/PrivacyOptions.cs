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

    /// <summary>Decodes a key setting: base64 of exactly 32 bytes.</summary>
    internal static bool TryDecodeKey(string? value, out byte[] key)
    {
        var buffer = new byte[64];
        if (Convert.TryFromBase64String(value ?? "", buffer, out var written) && written == 32)
        {
            key = buffer[..32];
            return true;
        }

        key = [];
        return false;
    }
}
