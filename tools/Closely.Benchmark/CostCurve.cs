using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using Closely.Stores.Operations;
using Closely.Stores.Registry;
using Closely.Stores.Samples;
using Microsoft.Extensions.Configuration;
using Npgsql;

namespace Closely.Benchmark;

/// <summary>
/// The locate/erase cost curve (issue 13 item 2, ADR 43): at each store size, the three sample stores seeded with that
/// many people, then subjects located and erased one at a time through the platform's own store operations
/// (<see cref="StoreOperations.LocateAsync"/> over every store, as DataLocator does; <see cref="StoreOperations.EraseAsync"/>
/// in every store, as ErasureExecutor does), timed; every query they ran is EXPLAINed (<see cref="QueryPlans"/>). Prints
/// size → locate and erase median and p95, the flatness ratio (largest size's median over the smallest's), and the plan
/// of every query that is not an index scan.
/// </summary>
public static class CostCurve
{
    public static async Task<CurveResult> RunAsync(BenchmarkOptions options, TextWriter output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(output);
        var servers = BenchmarkServers.FromEnvironment();
        var registry = StoreRegistryLoader.LoadFile(Path.Combine(AppContext.BaseDirectory, "stores.yaml"));
        using var listening = CommandLog.Listen();
        var points = new List<CurvePoint>();
        foreach (var size in options.CurveSizes)
        {
            points.Add(await MeasureAsync(servers, registry, size, options.CurveSubjects, output, cancellationToken));
        }

        var result = new CurveResult(points);
        foreach (var line in result.Lines())
        {
            await output.WriteLineAsync(line);
        }

        return result;
    }

    private static async Task<CurvePoint> MeasureAsync(
        BenchmarkServers servers, StoreRegistry registry, int people, int subjects, TextWriter output, CancellationToken cancellationToken)
    {
        var name = $"closely_curve_{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(3))}_{people}";
        var databases = new List<string>();
        var logs = new ConcurrentDictionary<string, CommandLog>(StringComparer.Ordinal);
        var dataSources = new ConcurrentDictionary<string, NpgsqlDataSource>(StringComparer.Ordinal);
        try
        {
            var clock = Stopwatch.StartNew();
            var stores = await Task.WhenAll(SampleStores.All.Select(async store =>
            {
                var database = name + "_" + store.StoreId.Replace('-', '_');
                databases.Add(database);
                var connectionString = await servers.CreateDatabaseAsync(database, cancellationToken);
                await SampleStoreSeeder.SeedAsync(connectionString, store, people, SampleStoreSeeder.DefaultSeed, cancellationToken);
                return (store.Database, ConnectionString: connectionString);
            }));
            var seeding = clock.Elapsed;
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"curve: seeded {stores.Length} sample stores of {people} people in {seeding.TotalSeconds:F0} s"));

            var configuration = new ConfigurationBuilder()
                .AddInMemoryCollection(stores.Select(s => KeyValuePair.Create($"ConnectionStrings:{s.Database}", (string?)s.ConnectionString)))
                .Build();
            var operations = new StoreOperations(
                new StoreConnections(configuration, connectionString => dataSources.GetOrAdd(connectionString, s => logs.GetOrAdd(s, _ => new CommandLog()).DataSource(s))),
                TimeProvider.System);
            var emails = await SampleSubjects.EmailsAsync(stores[0].ConnectionString, subjects + 1, people, cancellationToken);

            // The first subject warms up (connections, the ledger and restriction list made on first use) and is not timed.
            var locate = new List<TimeSpan>();
            var erase = new List<TimeSpan>();
            foreach (var (email, index) in emails.Select((e, i) => (e, i)))
            {
                var subject = new SubjectIdentifiers(Email: email);
                clock.Restart();
                foreach (var store in registry.Stores)
                {
                    await operations.LocateAsync(store, subject, cancellationToken);
                }

                var located = clock.Elapsed;
                clock.Restart();
                foreach (var store in registry.Stores)
                {
                    await operations.EraseAsync(store, new StoreActionRequest(Guid.NewGuid(), subject), cancellationToken);
                }

                if (index > 0)
                {
                    locate.Add(located);
                    erase.Add(clock.Elapsed);
                }
            }

            var plans = new List<QueryPlan>();
            foreach (var (connectionString, log) in logs)
            {
                var storeId = registry.Stores.First(s => configuration.GetConnectionString(s.Connection) == connectionString).Id;
                plans.AddRange(await QueryPlans.ExplainAsync(storeId, connectionString, log.Commands, cancellationToken));
            }

            var point = new CurvePoint(people, seeding, locate, erase, plans);
            foreach (var line in point.Lines())
            {
                await output.WriteLineAsync(line);
            }

            return point;
        }
        finally
        {
            foreach (var dataSource in dataSources.Values)
            {
                await dataSource.DisposeAsync();
            }

            NpgsqlConnection.ClearAllPools();
            foreach (var database in databases)
            {
                await servers.DropDatabaseAsync(database);
            }
        }
    }
}

/// <summary>One size of the curve: how long seeding took, each subject's locate and erase time, the plans of the queries run.</summary>
public sealed record CurvePoint(int People, TimeSpan Seeding, IReadOnlyList<TimeSpan> Locate, IReadOnlyList<TimeSpan> Erase, IReadOnlyList<QueryPlan> Plans)
{
    public IEnumerable<string> Lines()
    {
        var sequential = Plans.Where(p => !p.IndexScansOnly).ToList();
        yield return string.Create(CultureInfo.InvariantCulture,
            $"curve: {People} people: {Locate.Count} subjects located in {Ms(Percentiles.NearestRank(Locate, 50))} ms (p95 {Ms(Percentiles.NearestRank(Locate, 95))}), " +
            $"erased in {Ms(Percentiles.NearestRank(Erase, 50))} ms (p95 {Ms(Percentiles.NearestRank(Erase, 95))}); " +
            $"{Plans.Count} queries explained, {sequential.Count} not index scans only");
        foreach (var plan in sequential)
        {
            yield return plan.Problem is { } problem
                ? $"  {plan.StoreId}: {problem}: {plan.Sql}"
                : $"  {plan.StoreId}: sequential scan of {string.Join(", ", plan.SequentialScans)} " +
                  $"({(plan.IndexUsable ? "an index serves it when sequential scans are off: the planner's choice at this size" : "NO index can serve it")}): {plan.Sql}";
            if (plan.Text is { } text)
            {
                foreach (var line in text.Split('\n'))
                {
                    yield return "    " + line;
                }
            }
        }
    }

    private static string Ms(TimeSpan time) => time.TotalMilliseconds.ToString("F1", CultureInfo.InvariantCulture);
}

/// <summary>The whole curve: the table of sizes and the flatness ratios.</summary>
public sealed record CurveResult(IReadOnlyList<CurvePoint> Points)
{
    /// <summary>Every query at every size can be served by an index (whatever the planner chose at that size).</summary>
    public bool AllIndexed => Points.All(p => p.Plans.All(q => q.Problem is null && q.IndexUsable));

    public double LocateFlatness => Ratio(p => p.Locate);

    public double EraseFlatness => Ratio(p => p.Erase);

    public IEnumerable<string> Lines()
    {
        yield return "locate/erase cost curve (one subject at a time, all three sample stores; median and p95 of the subjects):";
        yield return "  people per store | locate ms p50 | locate ms p95 | erase ms p50 | erase ms p95 | seeding s";
        foreach (var p in Points)
        {
            yield return string.Create(CultureInfo.InvariantCulture,
                $"  {p.People,16} | {Ms(p.Locate, 50),13} | {Ms(p.Locate, 95),13} | {Ms(p.Erase, 50),12} | {Ms(p.Erase, 95),12} | {p.Seeding.TotalSeconds,9:F0}");
        }

        yield return string.Create(CultureInfo.InvariantCulture,
            $"flatness (median at {Points[^1].People} / median at {Points[0].People} people): locate {LocateFlatness:F2}, erase {EraseFlatness:F2}");
        yield return AllIndexed
            ? "every query the locator and executor ran can be served by an index"
            : "NOT every query the locator and executor ran can be served by an index: see the plans above";
    }

    private static string Ms(IReadOnlyList<TimeSpan> times, int percent) =>
        Percentiles.NearestRank(times, percent).TotalMilliseconds.ToString("F1", CultureInfo.InvariantCulture);

    private double Ratio(Func<CurvePoint, IReadOnlyList<TimeSpan>> times) =>
        Percentiles.NearestRank(times(Points[^1]), 50) / Percentiles.NearestRank(times(Points[0]), 50);
}
