using System.Diagnostics;
using System.Globalization;

namespace Closely.Benchmark;

/// <summary>
/// One load phase: erasure requests offered at once (a burst) or at a steady rate, each through the real path (spread
/// over Intake's instances when it has several, as a load balancer would), with the broker's counters and each
/// process's CPU time and deliveries read before and after. The counters after one phase are those before the next
/// (the platform is idle between them).
/// </summary>
public static class Phase
{
    public static async Task<PhaseResult> RunAsync(
        string name, BenchmarkPlatform platform, IReadOnlyList<string> subjects, double rate, TimeSpan completionTimeout, MessageCounts messagesBefore,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(platform);
        ArgumentNullException.ThrowIfNull(subjects);
        ArgumentNullException.ThrowIfNull(messagesBefore);
        var processes = platform.Services.AllInstances;
        var cpuBefore = processes.Select(s => s.CpuTime).ToList();
        var deliveriesBefore = await platform.Broker.DeliveriesByProcessAsync(platform.VirtualHost, cancellationToken);

        var identities = platform.Services.InstancesOf(platform.Services.Identity).Select(i => i.BaseUrl).ToList();
        using var mail = new MailWatcher(platform.Servers.MailDev, identities, subjects);
        using var stopMail = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var mailLoop = mail.RunAsync(stopMail.Token);
        var clock = Stopwatch.StartNew();
        var requesters = platform.Services.InstancesOf(platform.Services.Intake).Select(i => new Requester(i.BaseUrl, mail, clock)).ToList();
        var offeredFor = rate > 0 ? TimeSpan.FromSeconds(subjects.Count / rate) : TimeSpan.Zero;
        var deadline = offeredFor + completionTimeout;
        var requests = new List<Task<RequestOutcome>>();
        for (var i = 0; i < subjects.Count; i++)
        {
            if (rate > 0 && TimeSpan.FromSeconds(i / rate) - clock.Elapsed is { Ticks: > 0 } wait)
            {
                await Task.Delay(wait, cancellationToken);
            }

            var (subject, requester) = (subjects[i], requesters[i % requesters.Count]);
            requests.Add(Task.Run(() => requester.EraseAsync(subject, deadline, cancellationToken), cancellationToken));
        }

        var outcomes = await Task.WhenAll(requests);
        var elapsed = clock.Elapsed;
        await stopMail.CancelAsync();
        await mailLoop;

        var cpu = processes.Select((s, i) => s.CpuTime - cpuBefore[i]).ToList();
        var messagesAfter = await platform.Broker.SettledCountsAsync(platform.VirtualHost, cancellationToken);
        var deliveriesAfter = await platform.Broker.DeliveriesByProcessAsync(platform.VirtualHost, cancellationToken);
        var loads = processes.Select((s, i) => new ProcessLoad(
            s.InstanceName, cpu[i], deliveriesAfter.GetValueOrDefault(s.ProcessId) - deliveriesBefore.GetValueOrDefault(s.ProcessId))).ToList();
        return new PhaseResult(name, subjects.Count, rate, outcomes, elapsed, messagesAfter.Subtract(messagesBefore), messagesAfter, loads);
    }
}

/// <summary>What one process (a service's instance) spent in a phase: CPU time, and the messages the broker delivered to it.</summary>
public sealed record ProcessLoad(string Process, TimeSpan Cpu, long Deliveries);

/// <summary>A phase's figures.</summary>
public sealed record PhaseResult(
    string Name,
    int Offered,
    double Rate,
    IReadOnlyList<RequestOutcome> Outcomes,
    TimeSpan Elapsed,
    MessageCounts Messages,
    MessageCounts BrokerCountsAfter,
    IReadOnlyList<ProcessLoad> Processes)
{
    public int Completed => Outcomes.Count(o => o.CompletedAt is not null);

    /// <summary>Requests that an HTTP error or timeout stopped before they were confirmed.</summary>
    public int Failed => Outcomes.Count(o => o.Failure is not null);

    /// <summary>Completed requests per second, from the first confirmation to the last completion.</summary>
    public double RequestsPerSecond
    {
        get
        {
            var done = Outcomes.Where(o => o.CompletedAt is not null).ToList();
            if (done.Count == 0)
            {
                return 0;
            }

            var span = done.Max(o => o.CompletedAt!.Value) - done.Min(o => o.ConfirmedAt!.Value);
            return done.Count / Math.Max(span.TotalSeconds, 0.001);
        }
    }

    /// <summary>Messages the broker counted as published, per completed request.</summary>
    public double PublishedPerRequest => Completed == 0 ? 0 : (double)Messages.Published / Completed;

    public double DeliveredPerRequest => Completed == 0 ? 0 : (double)Messages.Delivered / Completed;

    /// <summary>The <paramref name="percent"/>th percentile of confirm-to-completed latency (nearest rank).</summary>
    public TimeSpan LatencyPercentile(int percent) =>
        Percentiles.NearestRank(Outcomes.Where(o => o.Latency is not null).Select(o => o.Latency!.Value), percent);

    public IEnumerable<string> Lines()
    {
        var offered = Rate > 0
            ? string.Create(CultureInfo.InvariantCulture, $"{Offered} erasure requests offered at {Rate:0.##} requests/s")
            : $"{Offered} erasure requests offered at once";
        yield return string.Create(CultureInfo.InvariantCulture,
            $"{Name}: {offered}; {Completed} completed, {RequestsPerSecond:F1} requests/s completed (first confirmation to last completion)");
        if (Failed > 0)
        {
            var failures = Outcomes.Where(o => o.Failure is not null).GroupBy(o => o.Failure).Select(g => $"{g.Key} {g.Count().ToString(CultureInfo.InvariantCulture)}");
            yield return string.Create(CultureInfo.InvariantCulture, $"  {Failed} stopped by an HTTP error or timeout before confirmation: ") + string.Join(", ", failures);
        }

        yield return string.Create(CultureInfo.InvariantCulture,
            $"  confirm-to-completed latency: p50 {LatencyPercentile(50).TotalSeconds:F2} s, p95 {LatencyPercentile(95).TotalSeconds:F2} s, p99 {LatencyPercentile(99).TotalSeconds:F2} s");
        yield return string.Create(CultureInfo.InvariantCulture,
            $"  messages per request (broker counters): {PublishedPerRequest:F1} published, {DeliveredPerRequest:F1} delivered ({Messages.Published} and {Messages.Delivered} in all)");
        yield return "  CPU per process (CPU seconds, share of one core over the phase): " + string.Join(", ", Processes.Select(c =>
            string.Create(CultureInfo.InvariantCulture, $"{c.Process} {c.Cpu.TotalSeconds:F1} s ({100 * c.Cpu.TotalSeconds / Elapsed.TotalSeconds:F0}%)")));
        // Less sensitive than the rates to what else runs on the machine: a busy neighbour slows the platform down, but
        // barely changes the CPU time one request costs.
        yield return "  CPU per completed request (all processes " + string.Create(CultureInfo.InvariantCulture,
            $"{1000 * Processes.Sum(c => c.Cpu.TotalSeconds) / Math.Max(Completed, 1):F0} ms): ") + string.Join(", ", Processes.Select(c =>
            string.Create(CultureInfo.InvariantCulture, $"{c.Process} {1000 * c.Cpu.TotalSeconds / Math.Max(Completed, 1):F0} ms")));
        yield return "  deliveries per process (broker, over each process's channels): " + string.Join(", ", Processes.Select(c =>
            string.Create(CultureInfo.InvariantCulture, $"{c.Process} {c.Deliveries}")));
    }
}
