using System.Globalization;
using Closely.ServiceProcesses;

namespace Closely.Benchmark;

/// <summary>
/// What one run does: the store size, the burst, the sustained offered rate, and the baselines' sizes; or, with
/// <c>--curve</c>, the locate/erase cost curve over store sizes instead (<see cref="CostCurve"/>).
/// </summary>
public sealed record BenchmarkOptions
{
    public const string Usage =
        "usage: bench.sh [--people N] [--burst N] [--rate R --duration S] [--baseline-messages N] [--baseline-seconds S] [--instances S=N,...]\n" +
        "  --people N             people per sample store (1000000)\n" +
        "  --burst N              erasure requests sent at once (400; 0 skips the burst)\n" +
        "  --rate R --duration S  then R requests per second offered for S seconds (50 for 60; rate 0 skips it)\n" +
        "  --baseline-messages N  messages of the raw MassTransit baseline (20000)\n" +
        "  --baseline-seconds S   seconds of the PostgreSQL single-row commit baseline (10)\n" +
        "  --instances S=N,...    N processes of service S, competing consumers of its queues (e.g. Cases=2; one each)\n" +
        "   or: bench.sh --curve [--sizes N,N,...] [--curve-10m] [--subjects N]\n" +
        "  --curve                the locate/erase cost curve instead: one subject at a time in stores of each size\n" +
        "  --sizes N,N,...        people per store at each point of the curve (100000,1000000)\n" +
        "  --curve-10m            adds a point of 10000000 people\n" +
        "  --subjects N           subjects located and erased at each size (7)";

    /// <summary>The curve's 10M point, optional (<c>--curve-10m</c>): seeding it takes long.</summary>
    public const int TenMillion = 10_000_000;

    public int People { get; init; } = 1_000_000;

    public int Burst { get; init; } = 400;

    public double Rate { get; init; } = 50;

    public double DurationSeconds { get; init; } = 60;

    public int BaselineMessages { get; init; } = 20_000;

    public double BaselineSeconds { get; init; } = 10;

    /// <summary>How many processes run each service named (<see cref="PlatformProcesses.ServiceNames"/>); one for the others.</summary>
    public IReadOnlyDictionary<string, int> Instances { get; init; } = new Dictionary<string, int>();

    /// <summary>Run the locate/erase cost curve instead of the throughput benchmark.</summary>
    public bool Curve { get; init; }

    /// <summary>The store sizes (people per store) of the curve, smallest first.</summary>
    public IReadOnlyList<int> CurveSizes { get; init; } = [100_000, 1_000_000];

    /// <summary>The subjects located and erased, one at a time, at each size of the curve.</summary>
    public int CurveSubjects { get; init; } = 7;

    /// <summary>How long a phase waits for its last request after the last was offered.</summary>
    public TimeSpan CompletionTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>The requests the sustained phase offers.</summary>
    public int SustainedRequests => (int)Math.Round(Rate * DurationSeconds);

    public static bool TryParse(string[] args, out BenchmarkOptions options)
    {
        ArgumentNullException.ThrowIfNull(args);
        options = new BenchmarkOptions();
        for (var i = 0; i < args.Length; i++)
        {
            switch (args[i])
            {
                case "--curve":
                    options = options with { Curve = true };
                    continue;
                case "--curve-10m":
                    options = options with { Curve = true, CurveSizes = [.. options.CurveSizes.Append(TenMillion).Distinct().Order()] };
                    continue;
                case "--sizes" when i + 1 < args.Length && Sizes(args[i + 1]) is { Count: > 0 } sizes:
                    options = options with { CurveSizes = sizes };
                    i++;
                    continue;
                case "--instances" when i + 1 < args.Length && InstanceCounts(args[i + 1]) is { Count: > 0 } instances:
                    options = options with { Instances = instances };
                    i++;
                    continue;
            }

            if (i + 1 >= args.Length || !double.TryParse(args[i + 1], NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || value < 0)
            {
                return false;
            }

            switch (args[i++])
            {
                case "--people" when value >= 1:
                    options = options with { People = (int)value };
                    break;
                case "--burst":
                    options = options with { Burst = (int)value };
                    break;
                case "--rate":
                    options = options with { Rate = value };
                    break;
                case "--duration":
                    options = options with { DurationSeconds = value };
                    break;
                case "--baseline-messages" when value >= 1:
                    options = options with { BaselineMessages = (int)value };
                    break;
                case "--baseline-seconds" when value > 0:
                    options = options with { BaselineSeconds = value };
                    break;
                case "--subjects" when value >= 1:
                    options = options with { CurveSubjects = (int)value };
                    break;
                default:
                    return false;
            }
        }

        return true;
    }

    /// <summary><c>Service=N,...</c> with known services and N from 1 to 8; empty when one item is not such.</summary>
    private static Dictionary<string, int> InstanceCounts(string list)
    {
        var counts = new Dictionary<string, int>();
        foreach (var item in list.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var parts = item.Split('=', StringSplitOptions.TrimEntries);
            if (parts.Length != 2 || !PlatformProcesses.ServiceNames.Contains(parts[0])
                || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var count) || count is < 1 or > 8)
            {
                return [];
            }

            counts[parts[0]] = count;
        }

        return counts;
    }

    /// <summary>A comma-separated list of sizes, each at least 100 people, sorted; empty when one is not such a number.</summary>
    private static List<int> Sizes(string list)
    {
        var sizes = new List<int>();
        foreach (var item in list.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            if (!int.TryParse(item, NumberStyles.None, CultureInfo.InvariantCulture, out var size) || size < 100)
            {
                return [];
            }

            sizes.Add(size);
        }

        return [.. sizes.Distinct().Order()];
    }
}
