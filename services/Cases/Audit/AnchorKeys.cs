using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace Closely.Cases.Audit;

/// <summary>
/// The keys of the anchors: the ECDSA P-256 key that signs them, and the public keys that verify them (the signing
/// key's own and those of earlier keys, <see cref="AuditOptions.AnchorPublicKeys"/>). Verifying needs a public key only.
/// </summary>
public sealed class AnchorKeys : IDisposable
{
    private const string P256 = "1.2.840.10045.3.1.7";

    private readonly ECDsa _signing;
    private readonly Dictionary<string, ECDsa> _verifying = new(StringComparer.Ordinal);

    public AnchorKeys(IOptions<AuditOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var settings = options.Value;
        _signing = Import(settings.AnchorSigningKey, isPrivate: true, $"{AuditOptions.SectionName}:{nameof(AuditOptions.AnchorSigningKey)}", out var problem)
            ?? throw new InvalidOperationException(problem);
        KeyId = settings.AnchorKeyId;
        foreach (var (id, value) in settings.AnchorPublicKeys)
        {
            _verifying[id] = Import(value, isPrivate: false, $"{AuditOptions.SectionName}:{nameof(AuditOptions.AnchorPublicKeys)}:{id}", out problem)
                ?? throw new InvalidOperationException(problem);
        }

        var own = ECDsa.Create(_signing.ExportParameters(includePrivateParameters: false));
        if (_verifying.TryGetValue(KeyId, out var configured))
        {
            configured.Dispose();
        }

        _verifying[KeyId] = own;
    }

    /// <summary>The id of the signing key, written into each anchor.</summary>
    public string KeyId { get; }

    /// <summary>DER-encoded ECDSA-SHA256 signature of <paramref name="statement"/>, base64.</summary>
    public string Sign(string statement) =>
        Convert.ToBase64String(_signing.SignData(Encoding.UTF8.GetBytes(statement), HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence));

    public bool Verify(string keyId, string statement, string signature)
    {
        ArgumentNullException.ThrowIfNull(keyId);
        var bytes = new byte[signature?.Length ?? 0];
        return _verifying.TryGetValue(keyId, out var key)
            && Convert.TryFromBase64String(signature ?? "", bytes, out var length)
            && key.VerifyData(Encoding.UTF8.GetBytes(statement), bytes.AsSpan(0, length), HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence);
    }

    /// <summary>Why <paramref name="value"/> is not a P-256 key of the kind asked for, or null when it is.</summary>
    public static string? Problem(string value, bool isPrivate, string setting)
    {
        using var key = Import(value, isPrivate, setting, out var problem);
        return key is null ? problem : null;
    }

    public void Dispose()
    {
        _signing.Dispose();
        foreach (var key in _verifying.Values)
        {
            key.Dispose();
        }
    }

    private static ECDsa? Import(string value, bool isPrivate, string setting, out string problem)
    {
        var kind = isPrivate ? "an ECDSA P-256 private key (PEM, or base64 of PKCS#8)" : "an ECDSA P-256 public key (PEM, or base64 of SubjectPublicKeyInfo)";
        problem = $"{setting} must be {kind}. Make one with: openssl ecparam -name prime256v1 -genkey -noout | openssl pkcs8 -topk8 -nocrypt -outform DER | base64 -w0";
        var key = ECDsa.Create();
        try
        {
            if (value.Contains("-----BEGIN", StringComparison.Ordinal))
            {
                key.ImportFromPem(value);
            }
            else if (isPrivate)
            {
                key.ImportPkcs8PrivateKey(Convert.FromBase64String(value), out _);
            }
            else
            {
                key.ImportSubjectPublicKeyInfo(Convert.FromBase64String(value), out _);
            }

            var parameters = key.ExportParameters(includePrivateParameters: false);
            if (parameters.Curve.Oid?.Value == P256 && (!isPrivate || HasPrivateKey(key)))
            {
                return key;
            }
        }
        catch (Exception exception) when (exception is CryptographicException or FormatException or ArgumentException)
        {
            // Named in the problem below.
        }

        key.Dispose();
        return null;
    }

    private static bool HasPrivateKey(ECDsa key)
    {
        try
        {
            return key.ExportParameters(includePrivateParameters: true).D is { Length: > 0 };
        }
        catch (CryptographicException)
        {
            return false;
        }
    }
}
