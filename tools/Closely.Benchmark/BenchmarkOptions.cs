using System.Globalization;

namespace Closely.Benchmark;

/// <summary>What one run does: the store size, the burst, the sustained offered rate, and the baselines' sizes.</summary>
public sealed record BenchmarkOptions
{
    public const string Usage =
        "usage: bench.sh [--people N] [--burst N] [--rate R --duration S] [--baseline-messages N] [--baseline-seconds S]\n" +
        "  --people N             people per sample store (1000000)\n" +
        "  --burst N              erasure requests sent at once (400; 0 skips the burst)\n" +
        "  --rate R --duration S  then R requests per second offered for S seconds (50 for 60; rate 0 skips it)\n" +
        "  --baseline-messages N  messages of the raw MassTransit baseline (20000)\n" +
        "  --baseline-seconds S   seconds of the PostgreSQL single-row commit baseline (10)";

    public int People { get; init; } = 1_000_000;

    public int Burst { get; init; } = 400;

    public double Rate { get; init; } = 50;

    public double DurationSeconds { get; init; } = 60;

    public int BaselineMessages { get; init; } = 20_000;

    public double BaselineSeconds { get; init; } = 10;

    /// <summary>How long a phase waits for its last request after the last was offered.</summary>
    public TimeSpan CompletionTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>The requests the sustained phase offers.</summary>
    public int SustainedRequests => (int)Math.Round(Rate * DurationSeconds);

    public static bool TryParse(string[] args, out BenchmarkOptions options)
    {
        ArgumentNullException.ThrowIfNull(args);
        options = new BenchmarkOptions();
        for (var i = 0; i < args.Length; i += 2)
        {
            if (i + 1 >= args.Length || !double.TryParse(args[i + 1], NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || value < 0)
            {
                return false;
            }

            switch (args[i])
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
                default:
                    return false;
            }
        }

        return true;
    }
}
