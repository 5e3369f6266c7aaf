using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using Closely.Cases.Saga;

namespace Closely.Cases.Audit;

/// <summary>
/// One anchor: at <see cref="AnchoredAt"/>, every case's audit chain had the head and entry count of its
/// <see cref="Leaves"/>, whose Merkle tree has <see cref="Root"/>. The signature covers <see cref="Statement"/>,
/// which names the root (not the leaves) and the previous anchor, so one leaf with its audit path and the
/// statement prove a case's head to anyone holding the public key. One JSON line of the anchor file.
/// </summary>
public sealed record AuditAnchor
{
    public const string StatementHeader = "closely-audit-anchor/1";

    /// <summary>1 for the first anchor, then 2, 3, ...</summary>
    public required long Sequence { get; init; }

    public required DateTimeOffset AnchoredAt { get; init; }

    /// <summary>The id of the signing key.</summary>
    public required string KeyId { get; init; }

    public required int TreeSize { get; init; }

    /// <summary>The Merkle root of the leaves, lower-case hex.</summary>
    public required string Root { get; init; }

    /// <summary>SHA-256 of the previous anchor's statement (lower-case hex), or 64 zeros for the first.</summary>
    public required string Previous { get; init; }

    /// <summary>ECDSA P-256 with SHA-256 over the UTF-8 statement, DER-encoded (as <c>openssl dgst -verify</c> reads it), base64.</summary>
    public string Signature { get; init; } = "";

    public required IReadOnlyList<AnchorLeaf> Leaves { get; init; }

    /// <summary>The text the signature covers, lines joined by a line feed, with no line feed at the end.</summary>
    [JsonIgnore]
    public string Statement => string.Join('\n',
        StatementHeader,
        string.Create(CultureInfo.InvariantCulture, $"sequence: {Sequence}"),
        $"anchored-at: {Instant(AnchoredAt)}",
        $"key-id: {KeyId}",
        string.Create(CultureInfo.InvariantCulture, $"tree-size: {TreeSize}"),
        $"root: {Root}",
        $"previous: {Previous}");

    /// <summary>What the next anchor names as <see cref="Previous"/>.</summary>
    [JsonIgnore]
    public string StatementHash => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Statement)));

    public static string Instant(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.ffffffZ", CultureInfo.InvariantCulture);

    public static JsonSerializerOptions JsonOptions { get; } = new(JsonSerializerDefaults.Web);
}

/// <summary>One case's chain as anchored: its entry count and the hash of its last entry (the genesis hash for none).</summary>
public sealed record AnchorLeaf(Guid CaseId, int EntryCount, string Head)
{
    /// <summary>The leaf's bytes in the Merkle tree: <c>caseId LF entryCount LF head</c>, UTF-8.</summary>
    public byte[] Bytes() => Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{CaseId:D}\n{EntryCount}\n{Head}"));

    public byte[] Hash() => MerkleTree.LeafHash(Bytes());

    /// <summary>Does the chain as stored (its entries in order) still hold what was anchored?</summary>
    public bool IsPrefixOf(IReadOnlyList<CaseAuditEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        return EntryCount == 0
            ? Head == CaseAudit.GenesisHash
            : entries.Count >= EntryCount && entries[EntryCount - 1].Hash == Head;
    }
}
