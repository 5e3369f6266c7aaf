using System.ComponentModel.DataAnnotations;

namespace Closely.ErasureExecutor.Erasure;

/// <summary>How hard ErasureExecutor tries a store before it reports the store as failed (<c>Erasure:Resilience</c>).</summary>
public sealed class ErasureResilienceOptions
{
    public const string SectionName = "Erasure:Resilience";

    /// <summary>Retries after the first attempt.</summary>
    [Range(0, 20)]
    public int MaxRetryAttempts { get; set; } = 3;

    /// <summary>The first retry delay; later ones grow exponentially, with jitter.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(30);

    [Range(0.01, 1.0)]
    public double CircuitFailureRatio { get; set; } = 0.5;

    [Range(2, 1000)]
    public int CircuitMinimumThroughput { get; set; } = 4;

    public TimeSpan CircuitSamplingDuration { get; set; } = TimeSpan.FromMinutes(1);

    public TimeSpan CircuitBreakDuration { get; set; } = TimeSpan.FromSeconds(30);

    public int Attempts => MaxRetryAttempts + 1;
}
