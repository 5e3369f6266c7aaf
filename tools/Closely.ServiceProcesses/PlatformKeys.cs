using System.Security.Cryptography;

namespace Closely.ServiceProcesses;

/// <summary>The keys every service of a platform needs, random for one run (never for production).</summary>
public static class PlatformKeys
{
    /// <summary>The privacy keys, the link signing keys, the audit chain's key and the anchors' signing key.</summary>
    public static Dictionary<string, string?> NewSettings() => new()
    {
        ["Privacy:EncryptionKey"] = NewKey(),
        ["Privacy:BlindIndexKey"] = NewKey(),
        ["Identity:LinkSigningKey"] = NewKey(),
        ["Packages:LinkSigningKey"] = NewKey(),
        ["Audit:ChainKey"] = NewKey(),
        ["Audit:AnchorSigningKey"] = NewAnchorSigningKey(),
    };

    private static string NewKey() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    private static string NewAnchorSigningKey()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        return Convert.ToBase64String(key.ExportPkcs8PrivateKey());
    }
}
