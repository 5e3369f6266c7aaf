using Closely.BuildingBlocks.Privacy;
using Closely.Contracts;
using Closely.ErasureExecutor.Erasure;
using Closely.IntegrationTests.Infrastructure;
using Closely.IntegrationTests.Stores;

namespace Closely.IntegrationTests.Telemetry;

/// <summary>ErasureExecutor's per-store instruments: how long each store action took, and which failed.</summary>
[Collection(PlatformServersCollection.Name)]
public sealed class ErasureInstrumentTests(PlatformServers servers) : IAsyncLifetime
{
    private const string Reachable = "hetzner-hel1-outreach";
    private const string Unreachable = "aws-euc1-analytics";

    private TestStores _stores = null!;

    public async Task InitializeAsync() => _stores = await TestStores.CreateAsync(servers);

    public Task DisposeAsync() => Task.CompletedTask;

    [Fact]
    public async Task Each_store_action_reports_its_duration_and_a_failed_one_counts_as_a_failure_tagged_by_store_and_action()
    {
        var settings = new Dictionary<string, string?>(_stores.Settings)
        {
            [$"ConnectionStrings:{_stores.Store(Unreachable).Connection}"] = "Host=127.0.0.1;Port=1;Database=nowhere;Username=nobody;Password=none;Timeout=2",
            ["Erasure:Resilience:MaxRetryAttempts"] = "1",
            ["Erasure:Resilience:RetryDelay"] = "00:00:00.050",
        };
        await using var host = await ServiceHost<ExecuteStoreActionConsumer>.StartAsync(servers, "erasure-metrics", options => options.Set(settings));
        using var meters = new MeterRecorder(host.Services);
        var completed = await host.RecordAsync<StoreActionCompleted>();
        var failed = await host.RecordAsync<StoreActionFailed>();

        await host.SendAsync(CommandQueues.ExecuteStoreAction, Erase(Reachable));
        await host.SendAsync(CommandQueues.ExecuteStoreAction, Erase(Unreachable));
        await TestSettings.EventuallyAsync(() => Task.FromResult(!completed.IsEmpty && !failed.IsEmpty), "one store completed and one failed");

        var durations = meters.Measurements.Where(m => m.Instrument == ErasureMetrics.DurationName).ToList();
        Assert.Equal(
            [(Unreachable, "erase", "failed"), (Reachable, "erase", "completed")],
            durations.Select(m => (m.Tag(ErasureMetrics.StoreTag), m.Tag(ErasureMetrics.ActionTag), m.Tag(ErasureMetrics.OutcomeTag))).Order());
        Assert.All(durations, m => Assert.InRange(m.Value, 0.0, 60.0));
        Assert.Contains(durations, m => m.Value > 0);

        var failure = Assert.Single(meters.Measurements, m => m.Instrument == ErasureMetrics.FailuresName);
        Assert.Equal((1.0, Unreachable, "erase"), (failure.Value, failure.Tag(ErasureMetrics.StoreTag), failure.Tag(ErasureMetrics.ActionTag)));

        // Tags name the store and the action, never the subject.
        Assert.All(meters.Measurements, m => Assert.DoesNotContain(m.Tags.Values, v => v?.Contains("jane", StringComparison.OrdinalIgnoreCase) == true));
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
}
