using Closely.BuildingBlocks.Privacy;
using Closely.Cases;
using Closely.Cases.Audit;
using Closely.Cases.Saga;
using Closely.Contracts;
using Closely.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Closely.IntegrationTests.Cases;

[Collection(PlatformServersCollection.Name)]
public sealed class CaseSagaRepositoryTests(PlatformServers servers) : IAsyncLifetime
{
    private ServiceHost<CasesOptions> _host = null!;

    public async Task InitializeAsync() => _host = await servers.StartCasesAsync("saga");

    public Task DisposeAsync() => _host.DisposeAsync().AsTask();

    [Fact]
    public async Task The_same_first_message_delivered_concurrently_creates_one_case_and_one_verification()
    {
        var verifications = await _host.RecordAsync<VerifyIdentity>(CommandQueues.VerifyIdentity);
        var caseId = Guid.NewGuid();
        var received = Received(caseId);

        await Task.WhenAll(Enumerable.Range(0, 5).Select(_ => _host.Bus.Publish(received)));

        await _host.WaitForStateAsync(caseId, "AwaitingVerification");
        await TestSettings.EventuallyAsync(() => Task.FromResult(verifications.Any(v => v.CaseId == caseId)), "a verification request");
        await _host.WaitForHandledAsync<DsrReceived>(m => m.CaseId == caseId, count: 5);
        await using var db = _host.NewDbContext();
        Assert.Equal(1, await db.Cases.CountAsync(c => c.CorrelationId == caseId));
        Assert.Single(_host.Sent<VerifyIdentity>(v => v.CaseId == caseId));
        Assert.Single(verifications, v => v.CaseId == caseId);
    }

    [Fact]
    public async Task Concurrent_results_for_one_case_are_all_applied_and_none_is_lost()
    {
        var stores = Enumerable.Range(1, 8).Select(i => $"store-{i}").ToArray();
        var caseId = Guid.NewGuid();
        await _host.Bus.Publish(Received(caseId));
        await _host.WaitForStateAsync(caseId, "AwaitingVerification");
        await _host.Bus.Publish(new IdentityVerified { CaseId = caseId, Method = "email-link", VerifiedAt = DateTimeOffset.UtcNow });
        await _host.WaitForStateAsync(caseId, "Locating");
        await _host.Bus.Publish(new SubjectDataLocated
        {
            CaseId = caseId,
            Stores = stores.Select(s => new StoreFindings { StoreId = s, RowsPerEntity = new Dictionary<string, int> { ["people"] = 1 } }).ToList(),
        });
        await _host.WaitForStateAsync(caseId, "Executing");

        // Eight results at once: they race for the same row, and optimistic concurrency makes the
        // losers retry on the current version instead of overwriting the winners.
        await Task.WhenAll(stores.Select(s => _host.Bus.Publish(new StoreActionCompleted
        {
            CaseId = caseId, StoreId = s, Action = StoreActionKind.Erase, RowsAffected = 1, CompletedAt = DateTimeOffset.UtcNow,
        })));

        await _host.WaitForStateAsync(caseId, "Completed");
        await using var db = _host.NewDbContext();
        var saga = await db.Cases.SingleAsync(c => c.CorrelationId == caseId);
        Assert.All(saga.Stores, s => Assert.Equal(StoreStatus.Completed, s.Status));
        Assert.Equal(stores.Length, saga.Stores.Count);
        // One version per applied message at least: created, verified, located, and eight results.
        Assert.True(saga.Version >= 11, $"version {saga.Version}");

        // The racing messages left one unbroken audit chain, saved with the case: no entry of a losing
        // attempt survived, none is missing.
        var trail = await db.AuditEntries.Where(e => e.CaseId == caseId).OrderBy(e => e.Sequence).ToListAsync();
        Assert.Equal(saga.AuditCount, trail.Count);
        Assert.Equal(stores.Length, trail.Count(e => e.Action == "store-completed"));
        Assert.Equal(saga.AuditHead, trail[^1].Hash);
        Assert.All(trail.Skip(1).Zip(trail), pair => Assert.Equal(pair.Second.Hash, pair.First.PreviousHash));
        var chain = _host.Services.GetRequiredService<CaseAuditChain>();
        Assert.All(trail, e => Assert.Equal(EntryCheck.Valid, chain.Check(e)));
    }

    [Fact]
    public async Task A_save_over_a_trail_another_writer_appended_to_meanwhile_is_a_concurrency_conflict_and_leaves_the_trail_whole()
    {
        var caseId = Guid.NewGuid();
        await _host.Bus.Publish(Received(caseId));
        await _host.WaitForStateAsync(caseId, "AwaitingVerification");
        var chain = _host.Services.GetRequiredService<CaseAuditChain>();

        // Both read the case at the same version; the console's view record commits first.
        await using var stale = _host.NewDbContext();
        var staleCase = await stale.Cases.SingleAsync(c => c.CorrelationId == caseId);
        await using (var console = _host.NewDbContext())
        {
            var current = await console.Cases.SingleAsync(c => c.CorrelationId == caseId);
            CaseAudit.Append(current, DateTimeOffset.UtcNow, "pseudonym-1", "viewed", "The case page was shown.");
            current.Version++;
            await console.SaveWithAuditAsync(current, chain, CancellationToken.None);
        }

        CaseAudit.Append(staleCase, DateTimeOffset.UtcNow, CaseAudit.System, "reminder", "A late writer.");
        staleCase.Version++;
        await Assert.ThrowsAsync<DbUpdateConcurrencyException>(() => stale.SaveWithAuditAsync(staleCase, chain, CancellationToken.None));

        await using var db = _host.NewDbContext();
        var saga = await db.Cases.SingleAsync(c => c.CorrelationId == caseId);
        var trail = await db.AuditEntries.Where(e => e.CaseId == caseId).OrderBy(e => e.Sequence).ToListAsync();
        Assert.Equal("viewed", trail[^1].Action);
        Assert.DoesNotContain(trail, e => e.Action == "reminder");
        Assert.Equal(saga.AuditHead, trail[^1].Hash);
    }

    [Fact]
    public async Task The_requester_email_is_unreadable_in_the_raw_table_and_found_through_its_blind_index()
    {
        var caseId = Guid.NewGuid();
        await _host.Bus.Publish(Received(caseId));
        await _host.WaitForStateAsync(caseId, "AwaitingVerification");

        await using var db = _host.NewDbContext();
        var rawRow = await db.Database
            .SqlQuery<string>($"SELECT row_to_json(c)::text AS \"Value\" FROM cases.case_sagas c WHERE correlation_id = {caseId}")
            .SingleAsync();
        Assert.DoesNotContain("jane.doe", rawRow, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("example.com", rawRow, StringComparison.OrdinalIgnoreCase);

        var index = servers.Protector().EmailIndex("  JANE.DOE@example.com ");
        var found = await db.Cases.SingleAsync(c => c.RequesterEmailIndex == index && c.CorrelationId == caseId);
        Assert.Equal("jane.doe@example.com", found.RequesterEmail);
    }

    private DsrReceived Received(Guid caseId) => new()
    {
        CaseId = caseId,
        Reference = "DSR-" + caseId.ToString("N")[..10].ToUpperInvariant(),
        Right = DataSubjectRight.Erasure,
        Channel = IntakeChannel.Api,
        ReceivedAt = DateTimeOffset.UtcNow,
        SealedRequesterEmail = servers.Seal(caseId, BusSeal.RequesterEmail, "Jane.Doe@example.com"),
    };
}
