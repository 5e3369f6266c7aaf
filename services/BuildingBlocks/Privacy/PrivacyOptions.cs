using System.ComponentModel.DataAnnotations;

namespace Closely.BuildingBlocks.Privacy;

/// <summary>
/// Keys for column encryption and blind indexes, from configuration section <c>Privacy</c>. Encryption keys
/// rotate: <see cref="EncryptionKey"/> is the key with id <c>default</c>, <see cref="EncryptionKeys"/> holds more
/// by id, and <see cref="ActiveKeyId"/> names the one new values are encrypted with; every configured key decrypts.
/// </summary>
public sealed class PrivacyOptions
{
    public const string SectionName = "Privacy";

    /// <summary>Base64 of 32 random bytes: the AES-256-GCM key with id <c>default</c>.</summary>
    public string EncryptionKey { get; set; } = "";

    /// <summary>More AES-256-GCM keys by id (1 to 32 letters, digits, '.', '_', '-'), e.g. <c>Privacy:EncryptionKeys:2027</c>.</summary>
    public Dictionary<string, string> EncryptionKeys { get; } = new(StringComparer.Ordinal);

    /// <summary>The id of the key new values are encrypted with; <c>default</c> when not set.</summary>
    public string ActiveKeyId { get; set; } = "";

    /// <summary>Base64 of 32 random bytes: the HMAC-SHA256 key for blind indexes and log pseudonyms.</summary>
    [Required]
    public string BlindIndexKey { get; set; } = "";

    public KeyRingSettings EncryptionKeyRing() => new()
    {
        SingleKey = EncryptionKey,
        SingleKeyName = $"{SectionName}:{nameof(EncryptionKey)}",
        Keys = EncryptionKeys,
        KeysName = $"{SectionName}:{nameof(EncryptionKeys)}",
        ActiveKeyId = ActiveKeyId,
        ActiveKeyIdName = $"{SectionName}:{nameof(ActiveKeyId)}",
    };
}
