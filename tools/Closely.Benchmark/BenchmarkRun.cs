using System.Globalization;

namespace Closely.Benchmark;

/// <summary>
/// One run (ADR 37): the platform on the servers, a burst and a sustained rate of erasure requests, then the baselines
/// on the same servers, and the messaging efficiency of each phase.
/// </summary>
public static class BenchmarkRun
{
    public static async Task<BenchmarkResult> RunAsync(BenchmarkOptions options, TextWriter output, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(output);
        var servers = BenchmarkServers.FromEnvironment();
        await using var platform = await BenchmarkPlatform.StartAsync(servers, options.People, options.Instances, output, cancellationToken);
        var subjects = await platform.SubjectEmailsAsync(options.Burst + options.SustainedRequests, options.People, cancellationToken);

        var phases = new List<PhaseResult>();
        var counts = await platform.Broker.SettledCountsAsync(platform.VirtualHost, cancellationToken);
        if (options.Burst > 0)
        {
            phases.Add(await Phase.RunAsync("burst", platform, subjects.Take(options.Burst).ToList(), 0, options.CompletionTimeout, counts, cancellationToken));
            counts = phases[^1].BrokerCountsAfter;
            await WriteAsync(output, phases[^1].Lines());
        }

        if (options.SustainedRequests > 0)
        {
            phases.Add(await Phase.RunAsync("sustained", platform, subjects.Skip(options.Burst).ToList(), options.Rate, options.CompletionTimeout, counts, cancellationToken));
            await WriteAsync(output, phases[^1].Lines());
        }

        var raw = await Baselines.MassTransitMessagesPerSecondAsync(
            await platform.CreateVirtualHostAsync("baseline", cancellationToken), options.BaselineMessages, cancellationToken);
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"baseline: raw MassTransit publish->consume {raw:F0} messages/s ({options.BaselineMessages} messages, {Baselines.Publishers} publishers, the platform's bus settings)"));
        var commits = await Baselines.PostgresCommitsPerSecondAsync(platform.Database, TimeSpan.FromSeconds(options.BaselineSeconds), cancellationToken);
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"baseline: PostgreSQL single-row commits {commits:F0} commits/s ({Baselines.Committers} connections, {options.BaselineSeconds:0.#} s)"));

        foreach (var phase in phases)
        {
            await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
                $"messaging efficiency ({phase.Name}) = requests/s x messages per request / raw messages/s = {phase.RequestsPerSecond:F1} x {phase.PublishedPerRequest:F1} / {raw:F0} = {phase.RequestsPerSecond * phase.PublishedPerRequest / raw:F3}"));
        }

        return new BenchmarkResult(phases, raw, commits);
    }

    private static async Task WriteAsync(TextWriter output, IEnumerable<string> lines)
    {
        foreach (var line in lines)
        {
            await output.WriteLineAsync(line);
        }
    }
}

public sealed record BenchmarkResult(IReadOnlyList<PhaseResult> Phases, double RawMessagesPerSecond, double CommitsPerSecond)
{
    public bool AllCompleted => Phases.All(p => p.Completed == p.Offered);
}
