using Closely.BuildingBlocks.Privacy;
using Closely.Cases.Saga;

namespace Closely.Cases.Audit;

/// <summary>
/// Keys of the audit trail, from configuration section <c>Audit</c> (ADR 16): the chain key the entries' HMACs are
/// computed with, which the database role does not hold, and the anchor — a periodic signed statement of every
/// case's chain head, written to an append-only file outside the database.
/// </summary>
public sealed class AuditOptions
{
    public const string SectionName = "Audit";

    /// <summary>Base64 of 32 random bytes: the chain key with id <c>default</c>.</summary>
    public string ChainKey { get; set; } = "";

    /// <summary>More chain keys by id, e.g. <c>Audit:ChainKeys:2027</c>; every configured key verifies.</summary>
    public Dictionary<string, string> ChainKeys { get; } = new(StringComparer.Ordinal);

    /// <summary>The id of the key new entries are keyed with; <c>default</c> when not set.</summary>
    public string ActiveChainKeyId { get; set; } = "";

    /// <summary>The anchors' ECDSA P-256 private key: PEM, or base64 of its PKCS#8 form.</summary>
    public string AnchorSigningKey { get; set; } = "";

    /// <summary>The id anchors signed with <see cref="AnchorSigningKey"/> carry.</summary>
    public string AnchorKeyId { get; set; } = KeyRing.DefaultKeyId;

    /// <summary>Public keys (PEM, or base64 of SubjectPublicKeyInfo) of earlier signing keys by id, so their anchors still verify.</summary>
    public Dictionary<string, string> AnchorPublicKeys { get; } = new(StringComparer.Ordinal);

    /// <summary>The folder of the append-only anchor file (<c>audit-anchors.jsonl</c>); relative to the content root.</summary>
    public string AnchorDirectory { get; set; } = "";

    /// <summary>How often an anchor is written.</summary>
    public TimeSpan AnchorInterval { get; set; } = TimeSpan.FromDays(1);

    public KeyRingSettings ChainKeyRing() => new()
    {
        SingleKey = ChainKey,
        SingleKeyName = $"{SectionName}:{nameof(ChainKey)}",
        Keys = ChainKeys,
        KeysName = $"{SectionName}:{nameof(ChainKeys)}",
        ActiveKeyId = ActiveChainKeyId,
        ActiveKeyIdName = $"{SectionName}:{nameof(ActiveChainKeyId)}",
        ReservedKeyIds = [CaseAudit.LegacyKeyId],
    };
}
