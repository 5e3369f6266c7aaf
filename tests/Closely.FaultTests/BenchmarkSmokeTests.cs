using System.Diagnostics;
using Closely.Benchmark;
using Xunit.Abstractions;

namespace Closely.FaultTests;

/// <summary>
/// The benchmark (issue 13, ADR 37) in a smoke run, so that it cannot rot: a few erasure requests in a burst and at a
/// rate, through the six services as processes on the shared test servers (Cases as two competing instances), on stores
/// of a thousand people, with tiny baselines. It must complete every request and print every figure; the figures
/// themselves mean nothing here. And the locate/erase cost curve (ADR 43) on stores of 1,000 and 5,000 people.
/// </summary>
[Collection(ServiceProcessesCollection.Name)]
public sealed class BenchmarkSmokeTests(ITestOutputHelper output)
{
    [Fact]
    public async Task A_small_benchmark_run_with_two_Cases_instances_completes_every_request_shares_the_work_and_prints_every_figure()
    {
        var options = new BenchmarkOptions
        {
            People = 1000,
            Burst = 3,
            Rate = 1,
            DurationSeconds = 2,
            BaselineMessages = 200,
            BaselineSeconds = 1,
            CompletionTimeout = TimeSpan.FromSeconds(60),
            Instances = new Dictionary<string, int> { ["Cases"] = 2 },
        };
        using var printed = new StringWriter();
        var clock = Stopwatch.StartNew();

        var result = await BenchmarkRun.RunAsync(options, printed, CancellationToken.None);

        output.WriteLine(printed.ToString());
        output.WriteLine($"smoke run took {clock.Elapsed.TotalSeconds:F0} s");
        Assert.Equal(["burst", "sustained"], result.Phases.Select(p => p.Name));
        Assert.Equal([3, 2], result.Phases.Select(p => p.Offered));
        Assert.All(result.Phases, p => Assert.Equal(p.Offered, p.Completed));
        Assert.All(result.Phases, p => Assert.True(p.Messages.Published > 0 && p.Messages.Delivered > 0, $"{p.Name}: the broker counted no messages"));
        Assert.All(result.Phases, p => Assert.Equal(
            ["Intake", "Identity", "Cases", "Cases#2", "DataLocator", "ErasureExecutor", "Notification"], p.Processes.Select(c => c.Process)));
        Assert.All(result.Phases, p => Assert.True(p.Processes.All(c => c.Cpu > TimeSpan.Zero), $"{p.Name}: a process used no CPU time"));
        // Every delivery the broker counted went to one of the platform's processes, and both Cases instances consumed.
        Assert.All(result.Phases, p => Assert.Equal(p.Messages.Delivered, p.Processes.Sum(c => c.Deliveries)));
        Assert.All(["Cases", "Cases#2"], cases => Assert.True(
            result.Phases.Sum(p => p.Processes.Single(c => c.Process == cases).Deliveries) > 0, $"{cases} was delivered no message"));
        Assert.True(result.RawMessagesPerSecond > 0 && result.CommitsPerSecond > 0);
        var text = printed.ToString();
        foreach (var figure in new[]
        {
            "burst: 3 erasure requests offered at once; 3 completed", "sustained: 2 erasure requests offered at 1 requests/s; 2 completed",
            "requests/s completed", "latency: p50 ", ", p95 ", ", p99 ", "messages per request (broker counters): ", "CPU per process", "deliveries per process",
            "Intake ", "Identity ", "Cases ", "Cases#2 ", "DataLocator ", "ErasureExecutor ", "Notification ",
            "baseline: raw MassTransit publish->consume ", "baseline: PostgreSQL single-row commits ",
            "messaging efficiency (burst) = ", "messaging efficiency (sustained) = ",
        })
        {
            Assert.Contains(figure, text, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task A_small_cost_curve_prints_its_table_and_every_query_the_locator_and_executor_ran_can_use_an_index()
    {
        var options = new BenchmarkOptions { Curve = true, CurveSizes = [1000, 5000], CurveSubjects = 3 };
        using var printed = new StringWriter();

        var result = await CostCurve.RunAsync(options, printed, CancellationToken.None);

        output.WriteLine(printed.ToString());
        Assert.Equal([1000, 5000], result.Points.Select(p => p.People));
        Assert.All(result.Points, p => Assert.Equal((3, 3), (p.Locate.Count, p.Erase.Count)));
        // What was explained is what the store operations ran: the match (locking inside an action), the ledger, the erasure.
        var explained = result.Points.SelectMany(p => p.Plans).ToList();
        foreach (var query in new[] { "FROM \"people\" WHERE", "FOR UPDATE", "INSERT INTO closely_dsr.action_ledger", "DELETE FROM \"people\"", "UPDATE \"profiles\" SET" })
        {
            Assert.Contains(explained, p => p.Sql.Contains(query, StringComparison.Ordinal));
        }

        // On stores this small the planner may well read a table whole; with sequential scans off it still must when no
        // index can serve the query, which at 10M people would read millions of rows.
        Assert.All(explained, p => Assert.True(p.Problem is null && p.IndexUsable, $"{p.StoreId}: {p.Problem ?? "no index can serve"}: {p.Sql}"));
        var text = printed.ToString();
        foreach (var line in new[]
        {
            "people per store | locate ms p50 | locate ms p95 | erase ms p50 | erase ms p95",
            "flatness (median at 5000 / median at 1000 people): locate ",
            "every query the locator and executor ran can be served by an index",
        })
        {
            Assert.Contains(line, text, StringComparison.Ordinal);
        }
    }
}

/// <summary>The tests that run the six services as processes take turns: each measures or breaks its own platform.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ServiceProcessesCollection
{
    public const string Name = "service processes";
}
