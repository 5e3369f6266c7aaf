using System.Security.Cryptography;
using Closely.BuildingBlocks.Privacy;
using Closely.Cases.Audit;
using Microsoft.Extensions.Options;

namespace Closely.UnitTests.Audit;

public sealed class AuditKeysTests
{
    private const string Setting = "Audit:AnchorSigningKey";

    [Fact]
    public void The_chain_key_id_of_unkeyed_legacy_entries_cannot_name_a_key()
    {
        var options = new AuditOptions { ChainKey = NewChainKey() };
        options.ChainKeys["sha256-legacy"] = NewChainKey();

        Assert.StartsWith("Audit:ChainKeys:sha256-legacy: a key id is 1 to 32 letters", KeyRing.Problem(options.ChainKeyRing()), StringComparison.Ordinal);
    }

    [Fact]
    public void A_p256_private_key_is_accepted_as_pem_or_base64_of_pkcs8()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);

        Assert.Null(AnchorKeys.Problem(key.ExportPkcs8PrivateKeyPem(), isPrivate: true, Setting));
        Assert.Null(AnchorKeys.Problem(Convert.ToBase64String(key.ExportPkcs8PrivateKey()), isPrivate: true, Setting));
        Assert.Null(AnchorKeys.Problem(key.ExportSubjectPublicKeyInfoPem(), isPrivate: false, "Audit:AnchorPublicKeys:old"));
    }

    [Fact]
    public void Another_curve_a_public_key_for_the_signing_key_or_garbage_is_named_with_how_to_make_one()
    {
        using var p384 = ECDsa.Create(ECCurve.NamedCurves.nistP384);
        using var p256 = ECDsa.Create(ECCurve.NamedCurves.nistP256);

        foreach (var value in new[] { p384.ExportPkcs8PrivateKeyPem(), p256.ExportSubjectPublicKeyInfoPem(), "not a key", "" })
        {
            var problem = AnchorKeys.Problem(value, isPrivate: true, Setting);
            Assert.StartsWith("Audit:AnchorSigningKey must be an ECDSA P-256 private key", problem, StringComparison.Ordinal);
            Assert.Contains("openssl ecparam -name prime256v1", problem, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Anchors_signed_by_an_earlier_key_verify_through_its_configured_public_key_and_a_forged_signature_does_not()
    {
        using var earlier = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var current = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var before = Keys(earlier, "2026");
        var options = AnchorOptions(current, "2027");
        options.AnchorPublicKeys["2026"] = earlier.ExportSubjectPublicKeyInfoPem();
        using var after = new AnchorKeys(Options.Create(options));

        var old = before.Sign("closely-audit-anchor/1\nsequence: 1");
        var renewed = after.Sign("closely-audit-anchor/1\nsequence: 2");

        Assert.True(after.Verify("2026", "closely-audit-anchor/1\nsequence: 1", old));
        Assert.True(after.Verify("2027", "closely-audit-anchor/1\nsequence: 2", renewed));
        Assert.False(after.Verify("2027", "closely-audit-anchor/1\nsequence: 1", old));
        Assert.False(after.Verify("2026", "closely-audit-anchor/1\nsequence: 2", old));
        Assert.False(after.Verify("2025", "closely-audit-anchor/1\nsequence: 1", old));
        Assert.False(after.Verify("2026", "closely-audit-anchor/1\nsequence: 1", "not base64!"));
    }

    private static AnchorKeys Keys(ECDsa key, string id) => new(Options.Create(AnchorOptions(key, id)));

    private static AuditOptions AnchorOptions(ECDsa key, string id) => new()
    {
        AnchorSigningKey = Convert.ToBase64String(key.ExportPkcs8PrivateKey()),
        AnchorKeyId = id,
    };

    private static string NewChainKey() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));
}
