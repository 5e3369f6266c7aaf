using System.Security.Cryptography;
using System.Text;
using Closely.BuildingBlocks.Privacy;
using Closely.Cases.Saga;
using Microsoft.Extensions.Options;

namespace Closely.Cases.Audit;

/// <summary>What an entry's hash says about the entry.</summary>
public enum EntryCheck
{
    /// <summary>The hash is the HMAC of the content under the entry's key (or, for a legacy entry, its SHA-256).</summary>
    Valid,

    /// <summary>A keyed entry whose hash is not the HMAC of its content: changed, or rewritten by someone without the key.</summary>
    HmacMismatch,

    /// <summary>A legacy (unkeyed) entry whose SHA-256 does not match: changed after it was written.</summary>
    LegacyMismatch,

    /// <summary>The entry names a chain key that is not configured.</summary>
    UnknownKey,
}

/// <summary>
/// The keyed hash chain of the audit trail: seals the entries a case recorded (HMAC-SHA256 under the active chain
/// key, linked to the head before them) and checks a stored entry against its key. The key comes from
/// configuration (<see cref="AuditOptions"/>), never from the database, so someone who can rewrite the table
/// cannot recompute the hashes.
/// </summary>
public sealed class CaseAuditChain(IOptions<AuditOptions> options)
{
    private readonly KeyRing _keys = KeyRing.Create(options.Value.ChainKeyRing());

    /// <summary>
    /// The entries of <see cref="CaseState.PendingAudit"/>, chained from the case's head under the active key; moves
    /// the head to the last one. The caller saves them with the case and then clears the pending list.
    /// </summary>
    public IReadOnlyList<CaseAuditEntry> Seal(CaseState saga)
    {
        ArgumentNullException.ThrowIfNull(saga);
        var entries = new List<CaseAuditEntry>(saga.PendingAudit.Count);
        foreach (var pending in saga.PendingAudit)
        {
            var keyId = _keys.ActiveKeyId;
            var content = CaseAudit.Content(saga.CorrelationId, pending.Sequence, pending.At, pending.Actor, pending.Action, pending.Detail, saga.AuditHead, keyId);
            var entry = new CaseAuditEntry
            {
                CaseId = saga.CorrelationId,
                Sequence = pending.Sequence,
                At = pending.At,
                Actor = pending.Actor,
                Action = pending.Action,
                Detail = pending.Detail,
                KeyId = keyId,
                PreviousHash = saga.AuditHead,
                Hash = Convert.ToHexStringLower(HMACSHA256.HashData(_keys.ActiveKey, content)),
            };
            saga.AuditHead = entry.Hash;
            entries.Add(entry);
        }

        return entries;
    }

    public EntryCheck Check(CaseAuditEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        if (entry.KeyId == CaseAudit.LegacyKeyId)
        {
            return Same(CaseAudit.LegacyHashOf(entry), entry.Hash) ? EntryCheck.Valid : EntryCheck.LegacyMismatch;
        }

        if (!_keys.TryGet(entry.KeyId, out var key))
        {
            return EntryCheck.UnknownKey;
        }

        return Same(Convert.ToHexStringLower(HMACSHA256.HashData(key, CaseAudit.Content(entry))), entry.Hash) ? EntryCheck.Valid : EntryCheck.HmacMismatch;
    }

    private static bool Same(string expected, string actual) =>
        CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(expected), Encoding.ASCII.GetBytes(actual));
}
