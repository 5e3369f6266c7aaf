using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace Closely.BuildingBlocks.Privacy;

/// <summary>
/// Encrypts personal data for storage (AES-256-GCM, a fresh nonce per value) and derives keyed hashes
/// (HMAC-SHA256) for look-ups and log pseudonyms, so that no table and no log holds personal data in
/// plain text.
/// <para>
/// A value is bound to where it is stored (<see cref="EncryptionContext"/>: table, column, row) as associated
/// data, and names the key it was encrypted with, so keys rotate (<see cref="PrivacyOptions"/>): format 2 is
/// <c>[2][key id length][key id][nonce 12][tag 16][ciphertext]</c>, the associated data being the first
/// <c>2 + key id length</c> bytes followed by the context. Format 1, written before, is
/// <c>[1][nonce 12][tag 16][ciphertext]</c> under the key <c>default</c> without associated data: it still
/// decrypts, and the <c>reencrypt</c> command rewrites it in format 2. See docs/adr/0018.
/// </para>
/// </summary>
public sealed class PersonalDataProtector
{
    /// <summary>What every <see cref="Pseudonym"/> starts with.</summary>
    public const string PseudonymPrefix = "pii:";

    private const byte LegacyFormat = 1;
    private const byte CurrentFormat = 2;
    private const int NonceSize = 12;
    private const int TagSize = 16;

    private readonly KeyRing _encryptionKeys;
    private readonly byte[] _blindIndexKey;

    public PersonalDataProtector(IOptions<PrivacyOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _encryptionKeys = KeyRing.Create(options.Value.EncryptionKeyRing());
        _blindIndexKey = KeySetting.Decode(options.Value.BlindIndexKey, $"{PrivacyOptions.SectionName}:{nameof(PrivacyOptions.BlindIndexKey)}");
    }

    /// <summary>The id of the key new values are encrypted with.</summary>
    public string ActiveKeyId => _encryptionKeys.ActiveKeyId;

    public byte[] Encrypt(string plaintext, EncryptionContext context)
    {
        ArgumentNullException.ThrowIfNull(plaintext);
        return EncryptBytes(Encoding.UTF8.GetBytes(plaintext), context);
    }

    public string Decrypt(byte[] ciphertext, EncryptionContext context) => Encoding.UTF8.GetString(DecryptBytes(ciphertext, context));

    /// <summary>Encrypts a document or any other binary value under the active key, bound to <paramref name="context"/>.</summary>
    public byte[] EncryptBytes(byte[] plain, EncryptionContext context)
    {
        ArgumentNullException.ThrowIfNull(plain);
        var header = ActiveKeyPrefix();
        var headerSize = header.Length;
        var output = new byte[headerSize + NonceSize + TagSize + plain.Length];
        header.CopyTo(output, 0);
        var nonce = output.AsSpan(headerSize, NonceSize);
        RandomNumberGenerator.Fill(nonce);

        using var aes = new AesGcm(_encryptionKeys.ActiveKey, TagSize);
        aes.Encrypt(nonce, plain, output.AsSpan(headerSize + NonceSize + TagSize), output.AsSpan(headerSize + NonceSize, TagSize),
            AssociatedData(output.AsSpan(0, headerSize), context));
        return output;
    }

    /// <summary>
    /// Decrypts a value stored at <paramref name="context"/>. Throws <see cref="CryptographicException"/> when it was
    /// stored elsewhere, changed, or encrypted with a key that is not configured.
    /// </summary>
    public byte[] DecryptBytes(byte[] ciphertext, EncryptionContext context)
    {
        ArgumentNullException.ThrowIfNull(ciphertext);
        var input = ciphertext.AsSpan();
        if (input.Length >= 1 + NonceSize + TagSize && input[0] == LegacyFormat)
        {
            return Decrypt(input[1..], LegacyKey(), associatedData: []);
        }

        if (input.Length < 2 || input[0] != CurrentFormat || input.Length < 2 + input[1] + NonceSize + TagSize)
        {
            throw new CryptographicException("The value is not in the platform's encrypted format.");
        }

        var headerSize = 2 + input[1];
        var keyId = Encoding.ASCII.GetString(input[2..headerSize]);
        if (!_encryptionKeys.TryGet(keyId, out var key))
        {
            throw new CryptographicException(
                $"The value was encrypted with key '{keyId}', which is not configured ({PrivacyOptions.SectionName}:{nameof(PrivacyOptions.EncryptionKeys)}:{keyId}).");
        }

        return Decrypt(input[headerSize..], key, AssociatedData(input[..headerSize], context));
    }

    /// <summary>The first bytes of every value encrypted now (format and active key id): a value that starts otherwise is re-encrypted by <c>reencrypt</c>.</summary>
    public byte[] ActiveKeyPrefix() => [CurrentFormat, (byte)_encryptionKeys.ActiveKeyId.Length, .. Encoding.ASCII.GetBytes(_encryptionKeys.ActiveKeyId)];

    /// <summary>
    /// The blind index of an email address: equal addresses (ignoring case and surrounding space) give
    /// equal indexes, and the index cannot be reversed without the key.
    /// </summary>
    public byte[] EmailIndex(string email) => Hmac("email:" + NormaliseEmail(email));

    /// <summary>A short, stable pseudonym for logs and traces: correlates without revealing.</summary>
    public string Pseudonym(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return PseudonymPrefix + Convert.ToHexStringLower(Hmac("log:" + value.Trim().ToUpperInvariant()), 0, 6);
    }

    public static string NormaliseEmail(string email)
    {
        ArgumentNullException.ThrowIfNull(email);
        return email.Trim().ToLowerInvariant();
    }

    private static byte[] Decrypt(ReadOnlySpan<byte> nonceTagCiphertext, byte[] key, byte[] associatedData)
    {
        var plain = new byte[nonceTagCiphertext.Length - NonceSize - TagSize];
        using var aes = new AesGcm(key, TagSize);
        aes.Decrypt(nonceTagCiphertext[..NonceSize], nonceTagCiphertext[(NonceSize + TagSize)..], nonceTagCiphertext.Slice(NonceSize, TagSize),
            plain, associatedData);
        return plain;
    }

    private static byte[] AssociatedData(ReadOnlySpan<byte> header, EncryptionContext context) => [.. header, .. context.AssociatedData()];

    private byte[] LegacyKey() =>
        _encryptionKeys.TryGet(KeyRing.DefaultKeyId, out var key)
            ? key
            : throw new CryptographicException(
                $"The value is in format 1, encrypted with {PrivacyOptions.SectionName}:{nameof(PrivacyOptions.EncryptionKey)}, which is not configured.");

    private byte[] Hmac(string value) => HMACSHA256.HashData(_blindIndexKey, Encoding.UTF8.GetBytes(value));
}
