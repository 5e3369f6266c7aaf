using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Closely.Cases.DpoConsole;

/// <summary>
/// Console password hashes: PBKDF2-HMAC-SHA256 with 600,000 iterations (OWASP's current guidance), a 16-byte salt and a
/// 32-byte subkey, in ASP.NET Core Identity's version 3 layout, base64: <c>0x01 | prf (uint32) | iterations (uint32) |
/// salt length (uint32) | salt | subkey</c>, big-endian, prf 1 = HMAC-SHA256, 2 = HMAC-SHA512. Hashes made before
/// (Identity's default, HMAC-SHA512 with 100,000 iterations) still verify and are flagged as weak. See ADR 17.
/// </summary>
public static class ConsolePasswordHash
{
    public const int Iterations = 600_000;

    private const byte Format = 0x01;
    private const uint Sha256 = 1;
    private const uint Sha512 = 2;
    private const int SaltSize = 16;
    private const int SubkeySize = 32;
    private const int HeaderSize = 13;

    public static string Hash(string password)
    {
        ArgumentNullException.ThrowIfNull(password);
        var salt = RandomNumberGenerator.GetBytes(SaltSize);
        var subkey = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, Iterations, HashAlgorithmName.SHA256, SubkeySize);
        var hash = new byte[HeaderSize + SaltSize + SubkeySize];
        hash[0] = Format;
        BinaryPrimitives.WriteUInt32BigEndian(hash.AsSpan(1), Sha256);
        BinaryPrimitives.WriteUInt32BigEndian(hash.AsSpan(5), Iterations);
        BinaryPrimitives.WriteUInt32BigEndian(hash.AsSpan(9), SaltSize);
        salt.CopyTo(hash, HeaderSize);
        subkey.CopyTo(hash, HeaderSize + SaltSize);
        return Convert.ToBase64String(hash);
    }

    /// <summary>Whether <paramref name="password"/> matches, and whether the hash is weaker than <see cref="Hash"/> makes now.</summary>
    public static (bool Matches, bool Weak) Verify(string hash, string password)
    {
        ArgumentNullException.ThrowIfNull(password);
        if (!TryParse(hash, out var algorithm, out var iterations, out var salt, out var subkey))
        {
            return (false, false);
        }

        var actual = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password), salt, iterations, algorithm, subkey.Length);
        return (CryptographicOperations.FixedTimeEquals(actual, subkey), algorithm != HashAlgorithmName.SHA256 || iterations < Iterations);
    }

    public static bool IsWellFormed(string hash) => TryParse(hash, out _, out _, out _, out _);

    private static bool TryParse(string hash, out HashAlgorithmName algorithm, out int iterations, out byte[] salt, out byte[] subkey)
    {
        (algorithm, iterations, salt, subkey) = (default, 0, [], []);
        var bytes = new byte[hash?.Length ?? 0];
        if (!Convert.TryFromBase64String(hash ?? "", bytes, out var length) || length < HeaderSize || bytes[0] != Format)
        {
            return false;
        }

        var prf = BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(1));
        var count = BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(5));
        var saltLength = BinaryPrimitives.ReadUInt32BigEndian(bytes.AsSpan(9));
        if (prf is not (Sha256 or Sha512) || count is 0 or > 10_000_000 || saltLength < 8 || saltLength > length - HeaderSize - 16)
        {
            return false;
        }

        algorithm = prf == Sha256 ? HashAlgorithmName.SHA256 : HashAlgorithmName.SHA512;
        iterations = (int)count;
        salt = bytes[HeaderSize..(HeaderSize + (int)saltLength)];
        subkey = bytes[(HeaderSize + (int)saltLength)..length];
        return true;
    }
}
