using Closely.IntegrationTests.Infrastructure;
using Closely.Stores.Operations;
using Closely.Stores.Samples;
using Npgsql;

namespace Closely.IntegrationTests.Stores;

/// <summary>
/// The ledger in each store: an action and its record commit in one transaction, so that no crash can
/// leave one without the other, and a repeated action gets the recorded result instead of a second effect.
/// </summary>
[Collection(PlatformServersCollection.Name)]
public sealed class StoreLedgerTests(PlatformServers servers) : IAsyncLifetime
{
    private const string Analytics = "aws-euc1-analytics";
    private const string SubjectRows =
        "SELECT (SELECT count(*) FROM profiles WHERE lower(btrim(email)) = 'jane.doe@example.com') || ' profiles, ' || " +
        "(SELECT count(*) FROM activity_events e JOIN profiles p ON p.id = e.profile_id WHERE lower(btrim(p.email)) = 'jane.doe@example.com') || ' events'";

    private TestStores _stores = null!;

    public async Task InitializeAsync() => _stores = await TestStores.CreateAsync(servers);

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task An_erasure_whose_commit_fails_after_the_effect_leaves_the_subject_and_no_record_and_the_redelivery_erases_once()
    {
        // The store has served a case before, so its ledger exists.
        await EraseAsync(new StoreActionRequest(Guid.NewGuid(), new SubjectIdentifiers("nobody@example.com")));

        // The process dies between erasing and committing: here the ledger row refuses to commit instead.
        await _stores.ExecuteAsync(Analytics, """
            CREATE FUNCTION crash_before_commit() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'simulated crash before commit'; END $$;
            CREATE CONSTRAINT TRIGGER crash_before_commit AFTER INSERT ON closely_dsr.action_ledger
                DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION crash_before_commit();
            """);
        var request = new StoreActionRequest(Guid.NewGuid(), new SubjectIdentifiers(SampleStores.DemoEmail));
        Assert.Equal("1 profiles, 5 events", await _stores.ScalarAsync<string>(Analytics, SubjectRows));

        var crash = await Assert.ThrowsAsync<PostgresException>(() => EraseAsync(request));

        Assert.Equal("simulated crash before commit", crash.MessageText);
        Assert.Equal("1 profiles, 5 events", await _stores.ScalarAsync<string>(Analytics, SubjectRows));
        Assert.Equal(0L, await LedgerRowsAsync(request.CaseId));

        // The command is redelivered once the store commits again; and once more after that.
        await _stores.ExecuteAsync(Analytics, "DROP TRIGGER crash_before_commit ON closely_dsr.action_ledger");
        var done = await EraseAsync(request);
        var again = await EraseAsync(request);

        Assert.Equal((6, false), (done.RowsAffected, done.Repeated));
        Assert.Equal("0 profiles, 0 events", await _stores.ScalarAsync<string>(Analytics, SubjectRows));
        Assert.Equal((6, true, done.CompletedAt), (again.RowsAffected, again.Repeated, again.CompletedAt));
        Assert.Equal(done.Subject, again.Subject);
        Assert.Equal(1L, await LedgerRowsAsync(request.CaseId));
    }

    [Fact]
    public async Task Two_erasures_of_one_case_at_once_erase_once_and_both_answer_with_the_recorded_result()
    {
        var request = new StoreActionRequest(Guid.NewGuid(), new SubjectIdentifiers(SampleStores.DemoEmail));

        var results = await Task.WhenAll(EraseAsync(request), EraseAsync(request));

        Assert.Equal([false, true], results.Select(r => r.Repeated).Order());
        Assert.All(results, r => Assert.Equal(6, r.RowsAffected));
        Assert.Single(results.Select(r => r.CompletedAt).Distinct());
        Assert.Equal(1L, await LedgerRowsAsync(request.CaseId));
    }

    [Fact]
    public async Task An_executor_that_loses_the_race_to_create_a_stores_ledger_uses_the_one_the_winner_made()
    {
        // A store whose owner did not create the ledger (the seeding does, ADR 40): the executor creates it on first use.
        await _stores.ExecuteAsync(Analytics, "DROP TABLE closely_dsr.action_ledger");
        // Another executor is creating the ledger and has not committed yet (the sample store has the schema and its
        // restriction list already, ADR 27).
        await using var winner = new NpgsqlConnection(_stores.ConnectionString(Analytics));
        await winner.OpenAsync();
        await using var creation = await winner.BeginTransactionAsync();
        await using (var create = new NpgsqlCommand(
            "CREATE TABLE closely_dsr.action_ledger (case_id uuid NOT NULL, store_id text NOT NULL, action text NOT NULL, " +
            "rows_affected integer NOT NULL, subject jsonb NOT NULL, ambiguous jsonb NOT NULL, completed_at timestamptz NOT NULL, " +
            "PRIMARY KEY (case_id, store_id, action))", winner, creation))
        {
            await create.ExecuteNonQueryAsync();
        }

        var request = new StoreActionRequest(Guid.NewGuid(), new SubjectIdentifiers(SampleStores.DemoEmail));
        var erasure = EraseAsync(request);
        // The executor found no ledger and now waits on the winner's table name.
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (await _stores.ScalarAsync<long>(Analytics,
            "SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND query LIKE 'CREATE TABLE IF NOT EXISTS closely_dsr.action_ledger%'") == 0)
        {
            await Task.Delay(50, timeout.Token);
        }

        await creation.CommitAsync();

        Assert.Equal(6, (await erasure).RowsAffected);
        Assert.Equal(1L, await LedgerRowsAsync(request.CaseId));
    }

    private Task<StoreActionRecord> EraseAsync(StoreActionRequest request) =>
        _stores.Operations.EraseAsync(_stores.Store(Analytics), request, CancellationToken.None);

    private Task<long> LedgerRowsAsync(Guid caseId) =>
        _stores.ScalarAsync<long>(Analytics, $"SELECT count(*) FROM closely_dsr.action_ledger WHERE case_id = '{caseId}'");
}
