using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace Closely.Cases.Saga;

/// <summary>
/// One entry of a case's audit trail. Entries are only ever appended; each carries the hash of the one
/// before it, so changing or deleting any entry breaks the chain from there on.
/// </summary>
public sealed class CaseAuditEntry
{
    public required Guid CaseId { get; init; }

    /// <summary>0 for the first entry of the case, then 1, 2, ...</summary>
    public required int Sequence { get; init; }

    public required DateTimeOffset At { get; init; }

    /// <summary>Who acted: a console user name, or <c>system</c> for the platform itself.</summary>
    public required string Actor { get; init; }

    /// <summary>What happened, a short code such as <c>received</c>, <c>extended</c>, <c>store-completed</c>.</summary>
    public required string Action { get; init; }

    /// <summary>The particulars in words: reasons, store ids, notices sent.</summary>
    public required string Detail { get; init; }

    public required string PreviousHash { get; init; }

    public required string Hash { get; init; }
}

/// <summary>The hash chain of the audit trail: how entries are made and how a trail is checked.</summary>
public static class CaseAudit
{
    public const string System = "system";

    /// <summary>The "previous hash" of a case's first entry.</summary>
    public const string GenesisHash = "0000000000000000000000000000000000000000000000000000000000000000";

    /// <summary>Appends an entry to the case's chain; the repository stores it with the case.</summary>
    public static CaseAuditEntry Append(CaseState saga, DateTimeOffset at, string actor, string action, string detail)
    {
        ArgumentNullException.ThrowIfNull(saga);
        // PostgreSQL keeps microseconds: hash what will be read back.
        var stored = new DateTimeOffset(at.UtcTicks - (at.UtcTicks % 10), TimeSpan.Zero);
        var entry = new CaseAuditEntry
        {
            CaseId = saga.CorrelationId,
            Sequence = saga.AuditCount,
            At = stored,
            Actor = actor,
            Action = action,
            Detail = detail,
            PreviousHash = saga.AuditHead,
            Hash = HashOf(saga.CorrelationId, saga.AuditCount, stored, actor, action, detail, saga.AuditHead),
        };
        saga.AuditCount++;
        saga.AuditHead = entry.Hash;
        saga.PendingAudit.Add(entry);
        return entry;
    }

    /// <summary>The SHA-256 (lower-case hex) of an entry's content and the hash before it.</summary>
    public static string HashOf(Guid caseId, int sequence, DateTimeOffset at, string actor, string action, string detail, string previousHash)
    {
        var canonical = JsonSerializer.SerializeToUtf8Bytes(new[]
        {
            caseId.ToString("D"),
            sequence.ToString(CultureInfo.InvariantCulture),
            at.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.ffffffZ", CultureInfo.InvariantCulture),
            actor,
            action,
            detail,
            previousHash,
        });
        return Convert.ToHexStringLower(SHA256.HashData(canonical));
    }

    public static string HashOf(CaseAuditEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        return HashOf(entry.CaseId, entry.Sequence, entry.At, entry.Actor, entry.Action, entry.Detail, entry.PreviousHash);
    }
}
