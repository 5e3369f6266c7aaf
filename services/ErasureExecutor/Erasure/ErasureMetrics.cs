using System.Diagnostics.Metrics;
using System.Text.Json;
using Closely.Contracts;

namespace Closely.ErasureExecutor.Erasure;

/// <summary>
/// Per-store action instruments on the "Closely" meter, tagged <c>store.id</c> and <c>store.action</c>
/// (the duration also <c>outcome</c>: <c>completed</c> or <c>failed</c>). Never the subject's identifiers.
/// </summary>
public sealed class ErasureMetrics
{
    public const string DurationName = "closely.erasure.store_action.duration";
    public const string FailuresName = "closely.erasure.store_action.failures";
    public const string StoreTag = "store.id";
    public const string ActionTag = "store.action";
    public const string OutcomeTag = "outcome";

    private readonly Histogram<double> _duration;
    private readonly Counter<long> _failures;

    public ErasureMetrics(IMeterFactory meters)
    {
        ArgumentNullException.ThrowIfNull(meters);
        var meter = meters.Create(Microsoft.Extensions.Hosting.Extensions.TelemetrySourceName);
        _duration = meter.CreateHistogram(DurationName, unit: "s",
            description: "How long one store action took through the store's resilience pipeline, retries included.",
            advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120] });
        _failures = meter.CreateCounter<long>(FailuresName, unit: "{failure}",
            description: "Store actions that failed and were reported to the case as failed.");
    }

    public void RecordDuration(string storeId, StoreActionKind action, TimeSpan elapsed, bool completed) =>
        _duration.Record(elapsed.TotalSeconds,
            new KeyValuePair<string, object?>(StoreTag, storeId),
            new KeyValuePair<string, object?>(ActionTag, ActionName(action)),
            new KeyValuePair<string, object?>(OutcomeTag, completed ? "completed" : "failed"));

    public void RecordFailure(string storeId, StoreActionKind action) =>
        _failures.Add(1,
            new KeyValuePair<string, object?>(StoreTag, storeId),
            new KeyValuePair<string, object?>(ActionTag, ActionName(action)));

    private static string ActionName(StoreActionKind action) => JsonNamingPolicy.KebabCaseLower.ConvertName(action.ToString());
}
