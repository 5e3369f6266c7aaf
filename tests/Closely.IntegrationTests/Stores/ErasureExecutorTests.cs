using System.Security.Cryptography;
using System.Text;
using Closely.BuildingBlocks.Privacy;
using Closely.Contracts;
using Closely.ErasureExecutor.Erasure;
using Closely.IntegrationTests.Infrastructure;

namespace Closely.IntegrationTests.Stores;

/// <summary>
/// ErasureExecutor on a real bus: erases once per case and store and answers a duplicate with the recorded
/// result, names what was ambiguous, and reports a store it cannot reach.
/// </summary>
[Collection(PlatformServersCollection.Name)]
public sealed partial class ErasureExecutorTests(PlatformServers servers) : IAsyncLifetime
{
    private const string Analytics = "aws-euc1-analytics";

    private TestStores _stores = null!;

    public async Task InitializeAsync() => _stores = await TestStores.CreateAsync(servers);

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task A_duplicate_erase_command_erases_once_and_publishes_the_recorded_result_again()
    {
        await using var host = await StartAsync(_stores.Settings);
        var completed = await host.RecordAsync<StoreActionCompleted>();
        var erased = await host.RecordAsync<SubjectErased>();
        var failed = await host.RecordAsync<StoreActionFailed>();
        var command = Erase(Analytics);

        await host.SendAsync(CommandQueues.ExecuteStoreAction, command);
        await TestSettings.EventuallyAsync(() => Task.FromResult(!completed.IsEmpty && !erased.IsEmpty), "StoreActionCompleted and SubjectErased");
        // The reply was lost, say: the saga sends the command again.
        await host.SendAsync(CommandQueues.ExecuteStoreAction, command);
        await TestSettings.EventuallyAsync(() => Task.FromResult(completed.Count == 2 && erased.Count == 2), "both results published again");

        var done = completed.First();
        Assert.Equal((command.CaseId, Analytics, StoreActionKind.Erase, 6), (done.CaseId, done.StoreId, done.Action, done.RowsAffected));
        Assert.Empty(done.Ambiguous);
        Assert.All(completed, c => Assert.Equal((done.RowsAffected, done.CompletedAt), (c.RowsAffected, c.CompletedAt)));
        var downstream = erased.First();
        Assert.Equal((command.CaseId, Analytics, 1, 6), (downstream.CaseId, downstream.StoreId, downstream.SchemaVersion, downstream.RowsAffected));
        // The command names the email; the store also knew her LinkedIn URL, so downstream gets both.
        Assert.Equal(
            [("email", Sha256("jane.doe@example.com")), ("linkedin", Sha256("linkedin.com/in/jane-doe-demo"))],
            downstream.Subject.Select(h => (h.Kind, h.Sha256)).Order());
        Assert.All(erased, e => Assert.Equal(
            (downstream.RowsAffected, downstream.ErasedAt, Hashes(downstream)),
            (e.RowsAffected, e.ErasedAt, Hashes(e))));
        Assert.Empty(failed);
        Assert.Equal(0, await _stores.ScalarAsync<long>(Analytics, "SELECT count(*) FROM profiles t WHERE t::text ILIKE '%jane.doe@example.com%'"));
        Assert.Equal(1, await _stores.ScalarAsync<long>(Analytics, $"SELECT count(*) FROM closely_dsr.action_ledger WHERE case_id = '{command.CaseId}'"));
    }

    [Fact]
    public async Task Two_identical_erase_commands_consumed_at_once_erase_once_and_both_publish_the_recorded_result()
    {
        await using var host = await StartAsync(_stores.Settings);
        var completed = await host.RecordAsync<StoreActionCompleted>();
        var erased = await host.RecordAsync<SubjectErased>();
        var command = Erase("hetzner-hel1-outreach");

        await Task.WhenAll(
            host.SendAsync(CommandQueues.ExecuteStoreAction, command),
            host.SendAsync(CommandQueues.ExecuteStoreAction, command));
        await TestSettings.EventuallyAsync(() => Task.FromResult(completed.Count == 2 && erased.Count == 2), "both commands answered");

        Assert.All(completed, c => Assert.Equal(4, c.RowsAffected));
        Assert.Single(completed.Select(c => c.CompletedAt).Distinct());
        Assert.All(erased, e => Assert.Equal(4, e.RowsAffected));
        Assert.Equal(0, await _stores.ScalarAsync<long>("hetzner-hel1-outreach", "SELECT count(*) FROM contacts WHERE email ILIKE 'jane.doe@example.com'"));
    }

    [Fact]
    public async Task An_erasure_where_the_subject_shares_a_phone_names_the_ambiguous_entity_and_leaves_the_other_person()
    {
        const string Crm = "hetzner-fsn1-crm";
        await _stores.ExecuteAsync(Crm, "UPDATE people SET phone = (SELECT phone FROM people WHERE id = 40) WHERE id = 41");
        await using var host = await StartAsync(_stores.Settings);
        var completed = await host.RecordAsync<StoreActionCompleted>();
        var erased = await host.RecordAsync<SubjectErased>();
        var command = Erase(Crm);
        command = command with { SealedSubjectEmail = servers.Seal(command.CaseId, BusSeal.SubjectEmail, await _stores.EmailOfAsync(40)) };

        await host.SendAsync(CommandQueues.ExecuteStoreAction, command);
        await TestSettings.EventuallyAsync(() => Task.FromResult(!completed.IsEmpty && !erased.IsEmpty), "StoreActionCompleted and SubjectErased");

        var done = Assert.Single(completed);
        var ambiguous = Assert.Single(done.Ambiguous);
        Assert.Equal(("people", "phone"), (ambiguous.Entity, ambiguous.Kind));
        Assert.DoesNotContain(Assert.Single(erased).Subject, h => h.Kind == "phone");
        Assert.Equal([41L], await PeopleIdsAsync(Crm, "id IN (40, 41)"));
    }

    [Fact]
    public async Task A_restriction_hides_the_subjects_rows_from_the_available_views_once_and_its_lift_shows_them_again()
    {
        await using var host = await StartAsync(_stores.Settings);
        var completed = await host.RecordAsync<StoreActionCompleted>();
        var restricted = await host.RecordAsync<SubjectRestricted>();
        var lifted = await host.RecordAsync<SubjectRestrictionLifted>();
        var restrict = Erase(Analytics) with { Action = StoreActionKind.Restrict, Ground = RestrictionGround.LegalClaims };
        const string Visible = "SELECT count(*) FROM profiles_available t WHERE t::text ILIKE '%jane.doe@example.com%'";

        await host.SendAsync(CommandQueues.ExecuteStoreAction, restrict);
        await host.SendAsync(CommandQueues.ExecuteStoreAction, restrict);
        await TestSettings.EventuallyAsync(() => Task.FromResult(restricted.Count == 2), "SubjectRestricted, twice");

        // Her profile and its 5 events: listed once, though the command came twice; the rows are all still there.
        Assert.All(restricted, r => Assert.Equal((restrict.CaseId, Analytics, "legal-claims", 6), (r.CaseId, r.StoreId, r.Ground, r.RowsAffected)));
        Assert.Equal(0, await _stores.ScalarAsync<long>(Analytics, Visible));
        Assert.Equal(1, await _stores.ScalarAsync<long>(Analytics, "SELECT count(*) FROM profiles t WHERE t::text ILIKE '%jane.doe@example.com%'"));
        Assert.Equal(6, await _stores.ScalarAsync<long>(Analytics, "SELECT count(*) FROM closely_dsr.restrictions"));
        Assert.Equal(TestStores.People * 3, await _stores.ScalarAsync<long>(Analytics, "SELECT count(*) FROM activity_events_available"));

        await host.SendAsync(CommandQueues.ExecuteStoreAction, restrict with { Action = StoreActionKind.LiftRestriction, Ground = null });
        await TestSettings.EventuallyAsync(() => Task.FromResult(!lifted.IsEmpty), "SubjectRestrictionLifted");
        Assert.Equal((restrict.CaseId, 6), (Assert.Single(lifted).CaseId, lifted.Single().RowsAffected));
        Assert.Equal(1, await _stores.ScalarAsync<long>(Analytics, Visible));
        Assert.Contains(completed, c => c.Action == StoreActionKind.LiftRestriction);
    }

    [Fact]
    public async Task An_unreachable_store_is_reported_as_failed_naming_the_store_after_the_retries()
    {
        var settings = new Dictionary<string, string?>(_stores.Settings)
        {
            [$"ConnectionStrings:{_stores.Store(Analytics).Connection}"] = "Host=127.0.0.1;Port=1;Database=nowhere;Username=nobody;Password=none;Timeout=2",
        };
        await using var host = await StartAsync(settings);
        var completed = await host.RecordAsync<StoreActionCompleted>();
        var failed = await host.RecordAsync<StoreActionFailed>();
        var command = Erase(Analytics);

        await host.SendAsync(CommandQueues.ExecuteStoreAction, command);

        await TestSettings.EventuallyAsync(() => Task.FromResult(!failed.IsEmpty), "StoreActionFailed");
        var failure = Assert.Single(failed);
        Assert.Equal((command.CaseId, Analytics, StoreActionKind.Erase), (failure.CaseId, failure.StoreId, failure.Action));
        Assert.Equal($"store {Analytics} unreachable after 4 attempts", failure.Reason);
        Assert.DoesNotContain("jane", failure.Reason, StringComparison.OrdinalIgnoreCase);
        Assert.Empty(completed);
        Assert.Equal(0, await host.MessagesInQueueAsync($"{CommandQueues.ExecuteStoreAction}_error"));
    }

    private ExecuteStoreAction Erase(string storeId)
    {
        var caseId = Guid.NewGuid();
        return new()
        {
            CaseId = caseId,
            StoreId = storeId,
            Action = StoreActionKind.Erase,
            SealedSubjectEmail = servers.Seal(caseId, BusSeal.SubjectEmail, "Jane.Doe@Example.com"),
        };
    }

    private Task<ServiceHost<ExecuteStoreActionConsumer>> StartAsync(IReadOnlyDictionary<string, string?> stores) =>
        ServiceHost<ExecuteStoreActionConsumer>.StartAsync(servers, "erasure", options =>
        {
            options.Set(stores);
            options.Settings["Erasure:Resilience:MaxRetryAttempts"] = "3";
            options.Settings["Erasure:Resilience:RetryDelay"] = "00:00:00.050";
        });

    private async Task<List<long>> PeopleIdsAsync(string storeId, string where) =>
        [.. (await _stores.ScalarAsync<long[]>(storeId, $"SELECT coalesce(array_agg(id ORDER BY id), '{{}}') FROM people WHERE {where}"))];

    private static string Hashes(SubjectErased erased) => string.Join(' ', erased.Subject.Select(h => $"{h.Kind}:{h.Sha256}").Order());

    private static string Sha256(string normalised) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(normalised)));
}
