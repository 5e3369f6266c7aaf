using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Microsoft.Extensions.DependencyInjection;

namespace Closely.IntegrationTests.Telemetry;

/// <summary>One measurement of a "Closely" instrument: its value and tags.</summary>
public sealed record RecordedMeasurement(string Instrument, double Value, IReadOnlyDictionary<string, string?> Tags)
{
    public string? Tag(string name) => Tags.GetValueOrDefault(name);
}

/// <summary>
/// Listens to the "Closely" meter of one service host only (its meter factory), as the OpenTelemetry
/// exporter would, and records every measurement.
/// </summary>
public sealed class MeterRecorder : IDisposable
{
    private readonly MeterListener _listener = new();

    public MeterRecorder(IServiceProvider services)
    {
        var factory = services.GetRequiredService<IMeterFactory>();
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Scope == factory && instrument.Meter.Name == Microsoft.Extensions.Hosting.Extensions.TelemetrySourceName)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<int>((instrument, value, tags, _) => Record(instrument, value, tags));
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Record(instrument, value, tags));
        _listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Record(instrument, value, tags));
        _listener.Start();
    }

    public ConcurrentQueue<RecordedMeasurement> Measurements { get; } = new();

    /// <summary>Reads every observable instrument once, as a metrics collection does, and returns what they reported.</summary>
    public List<RecordedMeasurement> Observe(string instrument)
    {
        Measurements.Clear();
        _listener.RecordObservableInstruments();
        return Measurements.Where(m => m.Instrument == instrument).ToList();
    }

    public void Dispose() => _listener.Dispose();

    private void Record(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var copy = new Dictionary<string, string?>();
        foreach (var (key, tag) in tags)
        {
            copy[key] = tag?.ToString();
        }

        Measurements.Enqueue(new RecordedMeasurement(instrument.Name, value, copy));
    }
}
