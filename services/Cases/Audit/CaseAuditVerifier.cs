using System.Text.Json.Serialization;
using Closely.Cases.Persistence;
using Closely.Cases.Saga;
using Microsoft.EntityFrameworkCore;

namespace Closely.Cases.Audit;

/// <summary>What is wrong with the first bad entry of a case's audit chain.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ChainProblem>))]
public enum ChainProblem
{
    /// <summary>An entry is absent: a gap in the sequence, or fewer entries than the case recorded.</summary>
    [JsonStringEnumMemberName("missing")]
    Missing,

    /// <summary>An entry beyond the number of entries the case recorded.</summary>
    [JsonStringEnumMemberName("unexpected")]
    Unexpected,

    /// <summary>The entry's previous hash is not the hash of the entry before it.</summary>
    [JsonStringEnumMemberName("previous-hash-mismatch")]
    PreviousHashMismatch,

    /// <summary>A legacy (unkeyed) entry whose SHA-256 no longer matches its content: it was changed after it was written.</summary>
    [JsonStringEnumMemberName("hash-mismatch")]
    HashMismatch,

    /// <summary>
    /// The entry's hash is not the HMAC of its content under the chain key: it was changed, or the chain was rewritten
    /// with hashes recomputed by someone without the key (also: an unkeyed entry after keyed ones).
    /// </summary>
    [JsonStringEnumMemberName("hmac-mismatch")]
    HmacMismatch,

    /// <summary>The entry names a chain key that is not configured, so it cannot be checked.</summary>
    [JsonStringEnumMemberName("unknown-key")]
    UnknownKey,

    /// <summary>The last entry's hash is not the chain head the case recorded.</summary>
    [JsonStringEnumMemberName("head-mismatch")]
    HeadMismatch,

    /// <summary>
    /// The chain no longer holds the head the latest anchor (signed, outside the database) recorded: entries up to
    /// there were rewritten, or entries were removed, together with the head on the case.
    /// </summary>
    [JsonStringEnumMemberName("anchor-mismatch")]
    AnchorMismatch,
}

/// <summary>
/// The result of checking one case's audit chain. Intact: every entry from 0 is present, links to the one before
/// it and matches its keyed hash, the last one is the head the case row recorded, and the chain still holds the
/// head the latest anchor recorded. Broken: names the first bad entry and what is wrong with it.
/// </summary>
public sealed record ChainVerification
{
    public required Guid CaseId { get; init; }

    public required bool Intact { get; init; }

    /// <summary>How many entries were found in the audit table.</summary>
    public required int EntryCount { get; init; }

    /// <summary>How many entries the case row says it has.</summary>
    public required int RecordedCount { get; init; }

    /// <summary>The sequence number of the first bad entry; null when intact.</summary>
    public int? FirstBadSequence { get; init; }

    public ChainProblem? Problem { get; init; }

    /// <summary>The finding in words, for the DPO and the supervisory authority.</summary>
    public required string Description { get; init; }

    /// <summary>When the anchor the chain was compared with was written; null when no anchor covers the case yet.</summary>
    public DateTimeOffset? AnchoredAt { get; init; }

    /// <summary>How many entries that anchor recorded for the case.</summary>
    public int? AnchoredEntryCount { get; init; }

    public required DateTimeOffset VerifiedAt { get; init; }
}

/// <summary>
/// Checks a case's audit chain: each entry against its keyed hash and the one before it, the last against the head
/// recorded on the case, and the chain against the latest anchor (ADR 16).
/// </summary>
public sealed class CaseAuditVerifier(CasesDbContext db, CaseAuditChain chain, AuditAnchors anchors, TimeProvider clock)
{
    /// <summary>Verifies the chain of case <paramref name="caseId"/>; null when there is no such case.</summary>
    public async Task<ChainVerification?> VerifyAsync(Guid caseId, CancellationToken cancellationToken)
    {
        var head = await db.Cases.AsNoTracking()
            .Where(c => c.CorrelationId == caseId)
            .Select(c => new { c.AuditCount, c.AuditHead })
            .SingleOrDefaultAsync(cancellationToken);
        if (head is null)
        {
            return null;
        }

        var entries = await EntriesAsync(caseId, cancellationToken);
        return Verify(caseId, head.AuditCount, head.AuditHead, entries, anchors.HeadOf(caseId), chain, clock.GetUtcNow());
    }

    /// <summary>The case's entries in sequence order, as stored.</summary>
    public Task<List<CaseAuditEntry>> EntriesAsync(Guid caseId, CancellationToken cancellationToken) =>
        db.AuditEntries.AsNoTracking()
            .Where(e => e.CaseId == caseId)
            .OrderBy(e => e.Sequence)
            .ToListAsync(cancellationToken);

    /// <summary>
    /// Checks <paramref name="entries"/> (in sequence order) against each other, their keys, the count and head the
    /// case recorded, and what the latest anchor recorded (<paramref name="anchored"/>, null when none covers the case).
    /// </summary>
    public static ChainVerification Verify(
        Guid caseId, int recordedCount, string recordedHead, IReadOnlyList<CaseAuditEntry> entries, AnchoredHead? anchored,
        CaseAuditChain chain, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(entries);
        ArgumentNullException.ThrowIfNull(chain);
        ChainVerification Broken(int sequence, ChainProblem problem, string description) => new()
        {
            CaseId = caseId,
            Intact = false,
            EntryCount = entries.Count,
            RecordedCount = recordedCount,
            FirstBadSequence = sequence,
            Problem = problem,
            Description = description,
            AnchoredAt = anchored?.Anchor.AnchoredAt,
            AnchoredEntryCount = anchored?.Leaf.EntryCount,
            VerifiedAt = now,
        };

        var previousHash = CaseAudit.GenesisHash;
        var keyed = false;
        for (var expected = 0; expected < entries.Count; expected++)
        {
            var entry = entries[expected];
            if (entry.Sequence != expected)
            {
                return Broken(expected, ChainProblem.Missing, $"Entry {expected} is missing: the next entry found is {entry.Sequence}.");
            }

            if (expected >= recordedCount)
            {
                return Broken(expected, ChainProblem.Unexpected, $"Entry {expected} is beyond the {recordedCount} entries the case recorded.");
            }

            if (!string.Equals(entry.PreviousHash, previousHash, StringComparison.Ordinal))
            {
                return Broken(expected, ChainProblem.PreviousHashMismatch, expected == 0
                    ? "Entry 0 does not start the chain: its previous hash is not the genesis hash."
                    : $"Entry {expected} does not link to entry {expected - 1}: its previous hash differs from that entry's hash.");
            }

            if (keyed && entry.KeyId == CaseAudit.LegacyKeyId)
            {
                return Broken(expected, ChainProblem.HmacMismatch,
                    $"Entry {expected} claims the unkeyed hash of entries written before the chain was keyed, after keyed entries: it was written by someone without the chain key.");
            }

            switch (chain.Check(entry))
            {
                case EntryCheck.LegacyMismatch:
                    return Broken(expected, ChainProblem.HashMismatch, $"Entry {expected} does not match its hash: it was changed after it was written.");
                case EntryCheck.HmacMismatch:
                    return Broken(expected, ChainProblem.HmacMismatch,
                        $"Entry {expected} does not match its keyed hash: it was changed, or rewritten with hashes computed without the chain key.");
                case EntryCheck.UnknownKey:
                    return Broken(expected, ChainProblem.UnknownKey,
                        $"Entry {expected} was keyed with chain key '{entry.KeyId}', which is not configured ({AuditOptions.SectionName}:{nameof(AuditOptions.ChainKeys)}:{entry.KeyId}).");
            }

            keyed |= entry.KeyId != CaseAudit.LegacyKeyId;
            previousHash = entry.Hash;
        }

        if (entries.Count < recordedCount)
        {
            return Broken(entries.Count, ChainProblem.Missing,
                $"Entry {entries.Count} is missing: the case recorded {recordedCount} entries, {entries.Count} were found.");
        }

        if (!string.Equals(previousHash, recordedHead, StringComparison.Ordinal))
        {
            var last = entries.Count - 1;
            return Broken(Math.Max(last, 0), ChainProblem.HeadMismatch, entries.Count == 0
                ? "The case has no entries, but its recorded chain head is not the genesis hash."
                : $"Entry {last}, the last, is not the chain head the case recorded.");
        }

        if (anchored is { Leaf: var leaf, Anchor: var anchor } && !leaf.IsPrefixOf(entries))
        {
            var when = AuditAnchor.Instant(anchor.AnchoredAt);
            return entries.Count < leaf.EntryCount
                ? Broken(entries.Count, ChainProblem.AnchorMismatch,
                    $"Entry {entries.Count} is missing: anchor {anchor.Sequence} of {when} recorded {leaf.EntryCount} entries, {entries.Count} were found.")
                : Broken(Math.Max(leaf.EntryCount - 1, 0), ChainProblem.AnchorMismatch,
                    $"Entry {Math.Max(leaf.EntryCount - 1, 0)} is not the head anchor {anchor.Sequence} of {when} recorded: the chain was rewritten up to there.");
        }

        return new ChainVerification
        {
            CaseId = caseId,
            Intact = true,
            EntryCount = entries.Count,
            RecordedCount = recordedCount,
            Description = $"The chain is intact: {entries.Count} entries, each matching its hash and linked to the one before it" + (anchored is null
                ? "; no anchor covers the case yet."
                : $", holding the head anchor {anchored.Anchor.Sequence} of {AuditAnchor.Instant(anchored.Anchor.AnchoredAt)} recorded after {anchored.Leaf.EntryCount} entries."),
            AnchoredAt = anchored?.Anchor.AnchoredAt,
            AnchoredEntryCount = anchored?.Leaf.EntryCount,
            VerifiedAt = now,
        };
    }
}
