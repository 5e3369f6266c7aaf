using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace Closely.BuildingBlocks.Privacy;

/// <summary>
/// Encrypts personal data for storage (AES-256-GCM, a fresh nonce per value) and derives keyed hashes
/// (HMAC-SHA256) for look-ups and log pseudonyms, so that no table and no log holds personal data in
/// plain text.
/// </summary>
public sealed class PersonalDataProtector
{
    private const byte FormatVersion = 1;
    private const int NonceSize = 12;
    private const int TagSize = 16;
    private const int HeaderSize = 1 + NonceSize + TagSize;

    private readonly byte[] _encryptionKey;
    private readonly byte[] _blindIndexKey;

    public PersonalDataProtector(IOptions<PrivacyOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _encryptionKey = DecodeKey(options.Value.EncryptionKey, nameof(PrivacyOptions.EncryptionKey));
        _blindIndexKey = DecodeKey(options.Value.BlindIndexKey, nameof(PrivacyOptions.BlindIndexKey));
    }

    public byte[] Encrypt(string plaintext)
    {
        ArgumentNullException.ThrowIfNull(plaintext);
        return EncryptBytes(Encoding.UTF8.GetBytes(plaintext));
    }

    public string Decrypt(byte[] ciphertext) => Encoding.UTF8.GetString(DecryptBytes(ciphertext));

    /// <summary>Encrypts a document or any other binary value.</summary>
    public byte[] EncryptBytes(byte[] plain)
    {
        ArgumentNullException.ThrowIfNull(plain);
        var output = new byte[HeaderSize + plain.Length];
        output[0] = FormatVersion;
        var nonce = output.AsSpan(1, NonceSize);
        var tag = output.AsSpan(1 + NonceSize, TagSize);
        RandomNumberGenerator.Fill(nonce);

        using var aes = new AesGcm(_encryptionKey, TagSize);
        aes.Encrypt(nonce, plain, output.AsSpan(HeaderSize), tag);
        return output;
    }

    public byte[] DecryptBytes(byte[] ciphertext)
    {
        ArgumentNullException.ThrowIfNull(ciphertext);
        if (ciphertext.Length < HeaderSize || ciphertext[0] != FormatVersion)
        {
            throw new CryptographicException("The value is not in the platform's encrypted format.");
        }

        var input = ciphertext.AsSpan();
        var plain = new byte[ciphertext.Length - HeaderSize];
        using var aes = new AesGcm(_encryptionKey, TagSize);
        aes.Decrypt(input.Slice(1, NonceSize), input[HeaderSize..], input.Slice(1 + NonceSize, TagSize), plain);
        return plain;
    }

    /// <summary>
    /// The blind index of an email address: equal addresses (ignoring case and surrounding space) give
    /// equal indexes, and the index cannot be reversed without the key.
    /// </summary>
    public byte[] EmailIndex(string email) => Hmac("email:" + NormaliseEmail(email));

    /// <summary>A short, stable pseudonym for logs and traces: correlates without revealing.</summary>
    public string Pseudonym(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return "pii:" + Convert.ToHexStringLower(Hmac("log:" + value.Trim().ToUpperInvariant()), 0, 6);
    }

    public static string NormaliseEmail(string email)
    {
        ArgumentNullException.ThrowIfNull(email);
        return email.Trim().ToLowerInvariant();
    }

    private byte[] Hmac(string value) => HMACSHA256.HashData(_blindIndexKey, Encoding.UTF8.GetBytes(value));

    private static byte[] DecodeKey(string value, string name) =>
        KeySetting.TryDecode(value, out var key)
            ? key
            : throw new InvalidOperationException(
                $"{PrivacyOptions.SectionName}:{name} must be 32 random bytes in base64. Generate one with: openssl rand -base64 32");
}
