using Closely.Stores.Registry;
using Microsoft.Extensions.Options;
using Npgsql;
using Polly;
using Polly.CircuitBreaker;
using Polly.Registry;
using Polly.Retry;
using Polly.Timeout;

namespace Closely.ErasureExecutor.Erasure;

/// <summary>
/// One Polly pipeline per registered store, so that one failing store opens only its own circuit:
/// retry with exponential back-off and jitter, around a circuit breaker, around a timeout per attempt.
/// Only failures that another attempt may cure are retried: the store unreachable or too slow.
/// </summary>
public sealed class StorePipelines : IDisposable
{
    private readonly ResiliencePipelineRegistry<string> _pipelines = new();

    public StorePipelines(StoreRegistry registry, IOptions<ErasureResilienceOptions> options)
    {
        ArgumentNullException.ThrowIfNull(registry);
        ArgumentNullException.ThrowIfNull(options);
        var settings = options.Value;
        foreach (var store in registry.Stores)
        {
            _pipelines.TryAddBuilder(store.Id, (builder, _) => Configure(builder, settings));
        }
    }

    public ResiliencePipeline For(string storeId) => _pipelines.GetPipeline(storeId);

    public void Dispose() => _pipelines.Dispose();

    public static bool IsTransient(Exception exception) =>
        exception is TimeoutRejectedException
        || (exception is NpgsqlException npgsql && (npgsql is not PostgresException || npgsql.IsTransient));

    private static void Configure(ResiliencePipelineBuilder builder, ErasureResilienceOptions settings)
    {
        var transient = new PredicateBuilder().Handle<Exception>(IsTransient);
        builder
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = transient,
                MaxRetryAttempts = settings.MaxRetryAttempts,
                Delay = settings.RetryDelay,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
            })
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions
            {
                ShouldHandle = transient,
                FailureRatio = settings.CircuitFailureRatio,
                MinimumThroughput = settings.CircuitMinimumThroughput,
                SamplingDuration = settings.CircuitSamplingDuration,
                BreakDuration = settings.CircuitBreakDuration,
            })
            .AddTimeout(settings.AttemptTimeout);
    }
}
