using Closely.Cases.Audit;
using Closely.Cases.Saga;

namespace Closely.UnitTests.Audit;

public sealed class CaseAuditVerifierTests
{
    private static readonly DateTimeOffset Start = new(2026, 3, 2, 9, 30, 0, TimeSpan.Zero);

    [Fact]
    public void An_untouched_chain_is_intact_and_counts_its_entries()
    {
        var (saga, entries) = Chain(4);

        var result = Verify(saga, entries);

        Assert.True(result.Intact);
        Assert.Equal(4, result.EntryCount);
        Assert.Null(result.FirstBadSequence);
        Assert.Null(result.Problem);
    }

    [Fact]
    public void A_changed_detail_breaks_the_chain_at_that_entry()
    {
        var (saga, entries) = Chain(4);
        entries[2] = Copy(entries[2], detail: "Identity established by the DPO's decision.");

        var result = Verify(saga, entries);

        Assert.False(result.Intact);
        Assert.Equal((2, ChainProblem.HashMismatch), (result.FirstBadSequence, result.Problem));
        Assert.Contains("Entry 2", result.Description, StringComparison.Ordinal);
    }

    [Fact]
    public void An_entry_rehashed_after_a_change_breaks_the_link_of_the_next_entry()
    {
        var (saga, entries) = Chain(4);
        var changed = Copy(entries[1], actor: "someone.else");
        entries[1] = Copy(changed, hash: CaseAudit.HashOf(changed));

        var result = Verify(saga, entries);

        Assert.Equal((2, ChainProblem.PreviousHashMismatch), (result.FirstBadSequence, result.Problem));
    }

    [Fact]
    public void A_gap_in_the_sequence_names_the_missing_entry()
    {
        var (saga, entries) = Chain(4);
        entries.RemoveAt(1);

        var result = Verify(saga, entries);

        Assert.Equal((1, ChainProblem.Missing), (result.FirstBadSequence, result.Problem));
    }

    [Fact]
    public void Deleting_the_last_entries_is_detected_from_the_count_the_case_recorded()
    {
        var (saga, entries) = Chain(4);
        entries.RemoveRange(2, 2);

        var result = Verify(saga, entries);

        Assert.Equal((2, ChainProblem.Missing), (result.FirstBadSequence, result.Problem));
        Assert.Equal((2, 4), (result.EntryCount, result.RecordedCount));
    }

    [Fact]
    public void A_last_entry_that_is_not_the_recorded_head_is_detected()
    {
        var (saga, entries) = Chain(3);
        saga.AuditHead = new string('a', 64);

        var result = Verify(saga, entries);

        Assert.Equal((2, ChainProblem.HeadMismatch), (result.FirstBadSequence, result.Problem));
    }

    [Fact]
    public void An_entry_beyond_the_recorded_count_is_detected()
    {
        var (saga, entries) = Chain(3);
        saga.AuditCount = 2;

        var result = Verify(saga, entries);

        Assert.Equal((2, ChainProblem.Unexpected), (result.FirstBadSequence, result.Problem));
    }

    private static ChainVerification Verify(CaseState saga, List<CaseAuditEntry> entries) =>
        CaseAuditVerifier.Verify(saga.CorrelationId, saga.AuditCount, saga.AuditHead, entries, Start.AddDays(1));

    private static (CaseState Saga, List<CaseAuditEntry> Entries) Chain(int length)
    {
        var saga = new CaseState { CorrelationId = Guid.NewGuid() };
        var entries = Enumerable.Range(0, length)
            .Select(i => CaseAudit.Append(saga, Start.AddMinutes(i), i == 1 ? "maria.dpo" : CaseAudit.System, $"action-{i}", $"What happened at step {i}."))
            .ToList();
        return (saga, entries);
    }

    private static CaseAuditEntry Copy(CaseAuditEntry entry, string? actor = null, string? detail = null, string? hash = null) => new()
    {
        CaseId = entry.CaseId,
        Sequence = entry.Sequence,
        At = entry.At,
        Actor = actor ?? entry.Actor,
        Action = entry.Action,
        Detail = detail ?? entry.Detail,
        PreviousHash = entry.PreviousHash,
        Hash = hash ?? entry.Hash,
    };
}
