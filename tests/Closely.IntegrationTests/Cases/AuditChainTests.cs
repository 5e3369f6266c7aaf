using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Closely.Cases;
using Closely.Cases.Audit;
using Closely.Cases.Saga;
using Closely.Contracts;
using Closely.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Closely.IntegrationTests.Cases;

/// <summary>The audit chain of a case as stored: the database refuses changes, and a change made anyway is found.</summary>
[Collection(PlatformServersCollection.Name)]
public sealed class AuditChainTests(PlatformServers servers) : IAsyncLifetime
{
    private ServiceHost<CasesOptions> _host = null!;
    private HttpClient _console = null!;

    public async Task InitializeAsync()
    {
        _host = await servers.StartCasesAsync("audit");
        _console = await _host.SignedInClientAsync(ConsoleSignIn.Viewer);
    }

    public async Task DisposeAsync()
    {
        _console.Dispose();
        await _host.DisposeAsync();
    }

    [Fact]
    public async Task An_untouched_chain_verifies_with_its_entry_count()
    {
        var caseId = await CaseWithEntriesAsync();

        var result = await VerificationAsync(caseId);

        Assert.True(result.GetProperty("intact").GetBoolean());
        Assert.Equal(await EntryCountAsync(caseId), result.GetProperty("entryCount").GetInt32());
        Assert.Equal(JsonValueKind.Null, result.GetProperty("firstBadSequence").ValueKind);
    }

    [Fact]
    public async Task The_database_refuses_a_plain_update_or_delete_of_an_audit_entry()
    {
        var caseId = await CaseWithEntriesAsync();

        var update = await Assert.ThrowsAsync<PostgresException>(() =>
            ExecuteAsync($"UPDATE cases.audit_entries SET detail = 'nothing happened' WHERE case_id = '{caseId}' AND sequence = 0"));
        var delete = await Assert.ThrowsAsync<PostgresException>(() =>
            ExecuteAsync($"DELETE FROM cases.audit_entries WHERE case_id = '{caseId}'"));

        Assert.Contains("append-only", update.MessageText, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("append-only", delete.MessageText, StringComparison.OrdinalIgnoreCase);
        Assert.True((await VerificationAsync(caseId)).GetProperty("intact").GetBoolean());
    }

    [Fact]
    public async Task An_entry_changed_behind_the_triggers_back_fails_verification_naming_that_entry()
    {
        var caseId = await CaseWithEntriesAsync();

        await WithoutTriggerAsync($"UPDATE cases.audit_entries SET detail = 'Identity established by the DPO''s decision.' WHERE case_id = '{caseId}' AND sequence = 1");

        var result = await VerificationAsync(caseId);
        Assert.False(result.GetProperty("intact").GetBoolean());
        Assert.Equal(1, result.GetProperty("firstBadSequence").GetInt32());
        Assert.Equal("hmac-mismatch", result.GetProperty("problem").GetString());
        Assert.Contains("Entry 1", result.GetProperty("description").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_changed_actor_in_a_later_entry_is_found_while_the_entries_before_it_stay_good()
    {
        var caseId = await CaseWithEntriesAsync();
        var last = await EntryCountAsync(caseId) - 1;

        await WithoutTriggerAsync($"UPDATE cases.audit_entries SET actor = 'someone.else' WHERE case_id = '{caseId}' AND sequence = {last}");

        var result = await VerificationAsync(caseId);
        Assert.Equal((last, "hmac-mismatch"), (result.GetProperty("firstBadSequence").GetInt32(), result.GetProperty("problem").GetString()));
    }

    [Fact]
    public async Task A_chain_rewritten_with_consistent_recomputed_hashes_by_someone_without_the_key_is_an_hmac_mismatch()
    {
        var caseId = await CaseWithEntriesAsync();
        await using var db = _host.NewDbContext();
        var entries = await db.AuditEntries.AsNoTracking().Where(e => e.CaseId == caseId).OrderBy(e => e.Sequence).ToListAsync();

        // Entry 1 says the DPO decided; every hash from there is recomputed (SHA-256, the best one can do without the
        // key), each link and the head on the case made to match.
        var sql = new StringBuilder();
        var previous = entries[0].Hash;
        foreach (var entry in entries.Skip(1))
        {
            var detail = entry.Sequence == 1 ? "Identity established by the DPO's decision." : entry.Detail;
            var hash = Convert.ToHexStringLower(SHA256.HashData(CaseAudit.Content(caseId, entry.Sequence, entry.At, entry.Actor, entry.Action, detail, previous, entry.KeyId)));
            sql.Append(CultureInfo.InvariantCulture, $"UPDATE cases.audit_entries SET detail = '{detail.Replace("'", "''", StringComparison.Ordinal)}', previous_hash = '{previous}', hash = '{hash}' WHERE case_id = '{caseId}' AND sequence = {entry.Sequence};");
            previous = hash;
        }

        await WithoutTriggerAsync(sql + $"UPDATE cases.case_sagas SET audit_head = '{previous}' WHERE correlation_id = '{caseId}'");

        var result = await VerificationAsync(caseId);
        Assert.False(result.GetProperty("intact").GetBoolean());
        Assert.Equal((1, "hmac-mismatch"), (result.GetProperty("firstBadSequence").GetInt32(), result.GetProperty("problem").GetString()));
    }

    [Fact]
    public async Task A_chain_cut_back_together_with_the_head_on_its_case_after_an_anchor_is_an_anchor_mismatch()
    {
        var caseId = await CaseWithEntriesAsync();
        var count = await EntryCountAsync(caseId);
        var anchor = await _host.Services.GetRequiredService<AuditAnchors>().WriteAsync(onlyWhenDue: false, CancellationToken.None);
        Assert.Contains(anchor!.Leaves, l => l.CaseId == caseId && l.EntryCount == count);
        Assert.True((await VerificationAsync(caseId)).GetProperty("intact").GetBoolean());

        // The last entry removed and the case row made to agree: the chain alone is consistent again.
        await WithoutTriggerAsync($"""
            DELETE FROM cases.audit_entries WHERE case_id = '{caseId}' AND sequence = {count - 1};
            UPDATE cases.case_sagas SET audit_count = {count - 1},
                audit_head = (SELECT hash FROM cases.audit_entries WHERE case_id = '{caseId}' AND sequence = {count - 2})
            WHERE correlation_id = '{caseId}'
            """);

        var result = await VerificationAsync(caseId);
        Assert.False(result.GetProperty("intact").GetBoolean());
        Assert.Equal((count - 1, "anchor-mismatch"), (result.GetProperty("firstBadSequence").GetInt32(), result.GetProperty("problem").GetString()));
        Assert.Equal(count, result.GetProperty("anchoredEntryCount").GetInt32());
        Assert.Contains($"anchor {anchor.Sequence}", result.GetProperty("description").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Deleting_the_last_entry_behind_the_triggers_back_is_detected()
    {
        var caseId = await CaseWithEntriesAsync();
        var count = await EntryCountAsync(caseId);

        await WithoutTriggerAsync($"DELETE FROM cases.audit_entries WHERE case_id = '{caseId}' AND sequence = {count - 1}");

        var result = await VerificationAsync(caseId);
        Assert.False(result.GetProperty("intact").GetBoolean());
        Assert.Equal((count - 1, "missing"), (result.GetProperty("firstBadSequence").GetInt32(), result.GetProperty("problem").GetString()));
        Assert.Equal((count - 1, count), (result.GetProperty("entryCount").GetInt32(), result.GetProperty("recordedCount").GetInt32()));
    }

    [Fact]
    public async Task An_unknown_case_gets_a_404_problem()
    {
        using var verification = await _console.GetAsync(new Uri($"/cases/{Guid.NewGuid()}/audit/verification", UriKind.Relative));
        using var evidence = await _console.GetAsync(new Uri($"/cases/{Guid.NewGuid()}/evidence", UriKind.Relative));

        Assert.Equal(HttpStatusCode.NotFound, verification.StatusCode);
        Assert.Equal("application/problem+json", verification.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.NotFound, evidence.StatusCode);
        Assert.Equal("application/problem+json", evidence.Content.Headers.ContentType?.MediaType);
    }

    /// <summary>A case with a few entries: received, identity verified, located.</summary>
    private async Task<Guid> CaseWithEntriesAsync()
    {
        var caseId = await _host.OpenCaseAsync(DataSubjectRight.Erasure);
        await _host.Bus.Publish(new IdentityVerified { CaseId = caseId, Method = "email-link", VerifiedAt = DateTimeOffset.UtcNow });
        await _host.WaitForStateAsync(caseId, "Locating");
        Assert.True(await EntryCountAsync(caseId) >= 2);
        return caseId;
    }

    private async Task<JsonElement> VerificationAsync(Guid caseId)
    {
        using var response = await _console.GetAsync(new Uri($"/cases/{caseId}/audit/verification", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private async Task<int> EntryCountAsync(Guid caseId)
    {
        await using var connection = new NpgsqlConnection(_host.Database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand($"SELECT count(*)::int FROM cases.audit_entries WHERE case_id = '{caseId}'", connection);
        return (int)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>What someone with the database's owner rights could do: switch the trigger off, change rows, switch it back on.</summary>
    private Task WithoutTriggerAsync(string sql) => ExecuteAsync($"""
        ALTER TABLE cases.audit_entries DISABLE TRIGGER audit_entries_append_only;
        {sql};
        ALTER TABLE cases.audit_entries ENABLE TRIGGER audit_entries_append_only;
        """);

    private async Task ExecuteAsync(string sql)
    {
        await using var connection = new NpgsqlConnection(_host.Database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
