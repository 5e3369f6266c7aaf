using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;

namespace Closely.Cases.Saga;

/// <summary>
/// One entry of a case's audit trail. Entries are only ever appended; each carries the keyed hash of its content
/// and of the entry before it, so changing or deleting any entry breaks the chain from there on.
/// </summary>
public sealed class CaseAuditEntry
{
    public required Guid CaseId { get; init; }

    /// <summary>0 for the first entry of the case, then 1, 2, ...</summary>
    public required int Sequence { get; init; }

    public required DateTimeOffset At { get; init; }

    /// <summary>
    /// Who acted: a console user name, <c>system</c> for the platform itself, or for a view of personal data the
    /// viewer's pseudonym (<c>pii:</c> + 12 hex digits).
    /// </summary>
    public required string Actor { get; init; }

    /// <summary>What happened, a short code such as <c>received</c>, <c>extended</c>, <c>store-completed</c>.</summary>
    public required string Action { get; init; }

    /// <summary>The particulars in words: reasons, store ids, notices sent.</summary>
    public required string Detail { get; init; }

    /// <summary>
    /// The id of the chain key <see cref="Hash"/> was computed with (HMAC-SHA256), or <see cref="CaseAudit.LegacyKeyId"/>
    /// for an entry written before the chain was keyed (plain SHA-256).
    /// </summary>
    public required string KeyId { get; init; }

    public required string PreviousHash { get; init; }

    public required string Hash { get; init; }
}

/// <summary>
/// An entry made while the saga handles a message, not yet chained: the repository seals it with the chain key
/// (<c>CaseAuditChain.Seal</c>) when it saves the case, so the key never reaches the saga.
/// </summary>
public sealed record PendingAuditEntry(int Sequence, DateTimeOffset At, string Actor, string Action, string Detail);

/// <summary>The audit trail of a case: how entries are recorded, and the content each entry's hash covers.</summary>
public static class CaseAudit
{
    public const string System = "system";

    /// <summary>The "previous hash" of a case's first entry.</summary>
    public const string GenesisHash = "0000000000000000000000000000000000000000000000000000000000000000";

    /// <summary>The key id of entries written before the chain was keyed: their hash is a plain SHA-256 (ADR 16).</summary>
    public const string LegacyKeyId = "sha256-legacy";

    /// <summary>Records an entry for the case; the repository chains and saves it with the case.</summary>
    public static PendingAuditEntry Append(CaseState saga, DateTimeOffset at, string actor, string action, string detail)
    {
        ArgumentNullException.ThrowIfNull(saga);
        // PostgreSQL keeps microseconds: hash what will be read back.
        var stored = new DateTimeOffset(at.UtcTicks - (at.UtcTicks % 10), TimeSpan.Zero);
        var entry = new PendingAuditEntry(saga.AuditCount, stored, actor, action, detail);
        saga.AuditCount++;
        saga.PendingAudit.Add(entry);
        return entry;
    }

    /// <summary>
    /// The bytes an entry's hash covers: a JSON array of the case, sequence, time to the microsecond, actor, action,
    /// detail and previous hash, and for a keyed entry its key id last.
    /// </summary>
    public static byte[] Content(Guid caseId, int sequence, DateTimeOffset at, string actor, string action, string detail, string previousHash, string keyId)
    {
        string[] fields =
        [
            caseId.ToString("D"),
            sequence.ToString(CultureInfo.InvariantCulture),
            at.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.ffffffZ", CultureInfo.InvariantCulture),
            actor,
            action,
            detail,
            previousHash,
        ];
        return JsonSerializer.SerializeToUtf8Bytes(keyId == LegacyKeyId ? fields : [.. fields, keyId]);
    }

    public static byte[] Content(CaseAuditEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return Content(entry.CaseId, entry.Sequence, entry.At, entry.Actor, entry.Action, entry.Detail, entry.PreviousHash, entry.KeyId);
    }

    /// <summary>The hash of a legacy entry: SHA-256 of its content, lower-case hex.</summary>
    public static string LegacyHashOf(CaseAuditEntry entry) => Convert.ToHexStringLower(SHA256.HashData(Content(entry)));
}
