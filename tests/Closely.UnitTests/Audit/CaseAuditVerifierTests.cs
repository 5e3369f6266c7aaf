using System.Security.Cryptography;
using Closely.Cases.Audit;
using Closely.Cases.Saga;
using Microsoft.Extensions.Options;

namespace Closely.UnitTests.Audit;

public sealed class CaseAuditVerifierTests
{
    private static readonly DateTimeOffset Start = new(2026, 3, 2, 9, 30, 0, TimeSpan.Zero);
    private static readonly string Key = NewKey();
    private readonly CaseAuditChain _chain = Chain(Key);

    [Fact]
    public void An_untouched_chain_is_intact_and_counts_its_entries()
    {
        var (saga, entries) = Trail(4);

        var result = Verify(saga, entries);

        Assert.True(result.Intact);
        Assert.Equal(4, result.EntryCount);
        Assert.Null(result.FirstBadSequence);
        Assert.Null(result.Problem);
        Assert.All(entries, e => Assert.Equal("default", e.KeyId));
    }

    [Fact]
    public void A_changed_detail_breaks_the_chain_at_that_entry()
    {
        var (saga, entries) = Trail(4);
        entries[2] = Copy(entries[2], detail: "Identity established by the DPO's decision.");

        var result = Verify(saga, entries);

        Assert.False(result.Intact);
        Assert.Equal((2, ChainProblem.HmacMismatch), (result.FirstBadSequence, result.Problem));
        Assert.Contains("Entry 2", result.Description, StringComparison.Ordinal);
    }

    [Fact]
    public void A_chain_rewritten_from_an_entry_on_with_recomputed_plain_hashes_is_found_at_that_entry()
    {
        var (saga, entries) = Trail(5);

        // Without the key, the best a rewrite can do is a consistent chain of plain SHA-256 hashes, the head included.
        var previous = entries[1].Hash;
        for (var i = 2; i < entries.Count; i++)
        {
            var changed = Copy(entries[i], actor: i == 2 ? "someone.else" : null, previousHash: previous);
            entries[i] = Copy(changed, hash: Convert.ToHexStringLower(SHA256.HashData(CaseAudit.Content(changed))));
            previous = entries[i].Hash;
        }

        saga.AuditHead = previous;

        Assert.Equal((2, ChainProblem.HmacMismatch), Problem(Verify(saga, entries)));
    }

    [Fact]
    public void Entries_relabelled_as_unkeyed_legacy_entries_after_keyed_ones_are_found()
    {
        var (saga, entries) = Trail(4);
        var relabelled = Copy(entries[3], keyId: CaseAudit.LegacyKeyId);
        entries[3] = Copy(relabelled, hash: CaseAudit.LegacyHashOf(relabelled));
        saga.AuditHead = entries[3].Hash;

        Assert.Equal((3, ChainProblem.HmacMismatch), Problem(Verify(saga, entries)));
    }

    [Fact]
    public void Legacy_entries_written_before_the_chain_was_keyed_still_verify_and_a_change_to_them_is_found()
    {
        var (saga, entries) = LegacyTrail(3);
        var keyed = Append(saga, 3, 2);
        entries.AddRange(keyed);

        Assert.True(Verify(saga, entries).Intact);
        Assert.Equal([CaseAudit.LegacyKeyId, CaseAudit.LegacyKeyId, CaseAudit.LegacyKeyId, "default", "default"], entries.Select(e => e.KeyId));

        entries[1] = Copy(entries[1], detail: "Nothing happened.");
        Assert.Equal((1, ChainProblem.HashMismatch), Problem(Verify(saga, entries)));
    }

    [Fact]
    public void After_a_key_rotation_entries_under_the_old_key_verify_and_a_removed_key_is_named()
    {
        var (saga, entries) = Trail(2);
        var options = new AuditOptions { ChainKey = Key, ActiveChainKeyId = "2027" };
        options.ChainKeys["2027"] = NewKey();
        var rotated = new CaseAuditChain(Options.Create(options));
        CaseAudit.Append(saga, Start.AddHours(1), CaseAudit.System, "later", "After the rotation.");
        entries.AddRange(rotated.Seal(saga));

        Assert.Equal("2027", entries[^1].KeyId);
        Assert.True(CaseAuditVerifier.Verify(saga.CorrelationId, saga.AuditCount, saga.AuditHead, entries, null, rotated, Start).Intact);
        var withoutOldKey = new AuditOptions { ActiveChainKeyId = "2027" };
        withoutOldKey.ChainKeys["2027"] = options.ChainKeys["2027"];
        var result = CaseAuditVerifier.Verify(saga.CorrelationId, saga.AuditCount, saga.AuditHead, entries, null, new CaseAuditChain(Options.Create(withoutOldKey)), Start);
        Assert.Equal((0, ChainProblem.UnknownKey), Problem(result));
        Assert.Contains("Audit:ChainKeys:default", result.Description, StringComparison.Ordinal);
    }

    [Fact]
    public void A_chain_keyed_with_another_key_is_refused()
    {
        var (saga, entries) = Trail(3);

        var result = CaseAuditVerifier.Verify(saga.CorrelationId, saga.AuditCount, saga.AuditHead, entries, null, Chain(NewKey()), Start);

        Assert.Equal((0, ChainProblem.HmacMismatch), Problem(result));
    }

    [Fact]
    public void An_entry_rehashed_after_a_change_breaks_the_link_of_the_next_entry()
    {
        var (saga, entries) = Trail(4);
        var changed = Copy(entries[1], actor: "someone.else");
        entries[1] = Copy(changed, hash: Convert.ToHexStringLower(HMACSHA256.HashData(Convert.FromBase64String(Key), CaseAudit.Content(changed))));

        Assert.Equal((2, ChainProblem.PreviousHashMismatch), Problem(Verify(saga, entries)));
    }

    [Fact]
    public void A_gap_in_the_sequence_names_the_missing_entry()
    {
        var (saga, entries) = Trail(4);
        entries.RemoveAt(1);

        Assert.Equal((1, ChainProblem.Missing), Problem(Verify(saga, entries)));
    }

    [Fact]
    public void Deleting_the_last_entries_is_detected_from_the_count_the_case_recorded()
    {
        var (saga, entries) = Trail(4);
        entries.RemoveRange(2, 2);

        var result = Verify(saga, entries);

        Assert.Equal((2, ChainProblem.Missing), Problem(result));
        Assert.Equal((2, 4), (result.EntryCount, result.RecordedCount));
    }

    [Fact]
    public void A_last_entry_that_is_not_the_recorded_head_is_detected()
    {
        var (saga, entries) = Trail(3);
        saga.AuditHead = new string('a', 64);

        Assert.Equal((2, ChainProblem.HeadMismatch), Problem(Verify(saga, entries)));
    }

    [Fact]
    public void An_entry_beyond_the_recorded_count_is_detected()
    {
        var (saga, entries) = Trail(3);
        saga.AuditCount = 2;

        Assert.Equal((2, ChainProblem.Unexpected), Problem(Verify(saga, entries)));
    }

    [Fact]
    public void A_chain_that_grew_after_its_anchor_holds_the_anchored_head()
    {
        var (saga, entries) = Trail(3);
        var anchored = Anchored(saga, entries.Count, entries[^1].Hash);
        entries.AddRange(Append(saga, 3, 2));

        var result = Verify(saga, entries, anchored);

        Assert.True(result.Intact);
        Assert.Equal((anchored.Anchor.AnchoredAt, 3), (result.AnchoredAt, result.AnchoredEntryCount));
    }

    [Fact]
    public void A_chain_cut_back_together_with_its_recorded_head_disagrees_with_the_anchor()
    {
        var (saga, entries) = Trail(5);
        var anchored = Anchored(saga, 5, entries[^1].Hash);

        // The last two entries gone and the case row made to match: the chain alone is consistent again.
        entries.RemoveRange(3, 2);
        (saga.AuditCount, saga.AuditHead) = (3, entries[^1].Hash);

        var result = Verify(saga, entries, anchored);
        Assert.Equal((3, ChainProblem.AnchorMismatch), Problem(result));
        Assert.Contains("recorded 5 entries, 3 were found", result.Description, StringComparison.Ordinal);
    }

    [Fact]
    public void A_chain_rewritten_with_the_key_up_to_its_anchored_head_disagrees_with_the_anchor()
    {
        var (saga, entries) = Trail(4);
        var anchored = Anchored(saga, 4, entries[^1].Hash);

        // Someone holding the chain key rewrites the whole trail: only the anchor, outside the database, tells.
        var rewritten = new CaseState { CorrelationId = saga.CorrelationId };
        for (var i = 0; i < 4; i++)
        {
            CaseAudit.Append(rewritten, Start.AddMinutes(i), CaseAudit.System, $"action-{i}", "Nothing to see.");
        }

        var sealedForged = _chain.Seal(rewritten).ToList();

        Assert.True(Verify(rewritten, sealedForged).Intact);
        Assert.Equal((3, ChainProblem.AnchorMismatch), Problem(Verify(rewritten, sealedForged, anchored)));
    }

    private static (int? Sequence, ChainProblem? Problem) Problem(ChainVerification result) => (result.FirstBadSequence, result.Problem);

    private ChainVerification Verify(CaseState saga, List<CaseAuditEntry> entries, AnchoredHead? anchored = null) =>
        CaseAuditVerifier.Verify(saga.CorrelationId, saga.AuditCount, saga.AuditHead, entries, anchored, _chain, Start.AddDays(1));

    private (CaseState Saga, List<CaseAuditEntry> Entries) Trail(int length)
    {
        var saga = new CaseState { CorrelationId = Guid.NewGuid() };
        return (saga, Append(saga, 0, length));
    }

    private List<CaseAuditEntry> Append(CaseState saga, int from, int count)
    {
        for (var i = from; i < from + count; i++)
        {
            CaseAudit.Append(saga, Start.AddMinutes(i), i == 1 ? "maria.dpo" : CaseAudit.System, $"action-{i}", $"What happened at step {i}.");
        }

        var entries = _chain.Seal(saga).ToList();
        saga.PendingAudit.Clear();
        return entries;
    }

    /// <summary>A trail as it was written before the chain was keyed: plain SHA-256 hashes, marked by the migration.</summary>
    private static (CaseState Saga, List<CaseAuditEntry> Entries) LegacyTrail(int length)
    {
        var saga = new CaseState { CorrelationId = Guid.NewGuid() };
        var entries = new List<CaseAuditEntry>();
        for (var i = 0; i < length; i++)
        {
            var unsealed = new CaseAuditEntry
            {
                CaseId = saga.CorrelationId, Sequence = i, At = Start.AddMinutes(i), Actor = CaseAudit.System, Action = $"action-{i}",
                Detail = $"Before the key, step {i}.", KeyId = CaseAudit.LegacyKeyId, PreviousHash = saga.AuditHead, Hash = "",
            };
            entries.Add(Copy(unsealed, hash: CaseAudit.LegacyHashOf(unsealed)));
            saga.AuditHead = entries[^1].Hash;
            saga.AuditCount++;
        }

        return (saga, entries);
    }

    private static AnchoredHead Anchored(CaseState saga, int count, string head)
    {
        var leaf = new AnchorLeaf(saga.CorrelationId, count, head);
        var anchor = new AuditAnchor
        {
            Sequence = 7, AnchoredAt = Start.AddHours(12), KeyId = "default", TreeSize = 1,
            Root = Convert.ToHexStringLower(leaf.Hash()), Previous = CaseAudit.GenesisHash, Leaves = [leaf],
        };
        return new AnchoredHead(anchor, leaf, 0, []);
    }

    private static CaseAuditChain Chain(string key) => new(Options.Create(new AuditOptions { ChainKey = key }));

    private static string NewKey() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(32));

    private static CaseAuditEntry Copy(
        CaseAuditEntry entry, string? actor = null, string? detail = null, string? hash = null, string? previousHash = null, string? keyId = null) => new()
    {
        CaseId = entry.CaseId,
        Sequence = entry.Sequence,
        At = entry.At,
        Actor = actor ?? entry.Actor,
        Action = entry.Action,
        Detail = detail ?? entry.Detail,
        KeyId = keyId ?? entry.KeyId,
        PreviousHash = previousHash ?? entry.PreviousHash,
        Hash = hash ?? entry.Hash,
    };
}
