using System.Diagnostics.Metrics;

namespace Closely.Cases.Telemetry;

/// <summary>Case counts at one moment: open cases per (state, right), and how many of them are past their due date.</summary>
public sealed record CaseCounts(IReadOnlyDictionary<(string State, string Right), int> Open, IReadOnlyDictionary<(string State, string Right), int> Overdue)
{
    public static CaseCounts None { get; } = new(new Dictionary<(string, string), int>(), new Dictionary<(string, string), int>());
}

/// <summary>
/// The case gauges on the "Closely" meter. The callbacks only read the latest <see cref="CaseCounts"/>,
/// which <see cref="CaseMetricsRefresher"/> takes from the database every <c>Cases:MetricsRefreshInterval</c>:
/// a collection never waits on the database. Tags: <c>case.state</c> and <c>case.right</c> (kebab-case);
/// no personal data. A series once seen keeps reporting, as 0 when no case matches any more.
/// </summary>
public sealed class CaseMetrics
{
    public const string OpenCasesName = "closely.cases.open";
    public const string OverdueCasesName = "closely.cases.overdue";
    public const string StateTag = "case.state";
    public const string RightTag = "case.right";

    private readonly Lock _gate = new();
    private readonly HashSet<(string State, string Right)> _openSeen = [];
    private readonly HashSet<(string State, string Right)> _overdueSeen = [];
    private CaseCounts _counts = CaseCounts.None;

    public CaseMetrics(IMeterFactory meters)
    {
        ArgumentNullException.ThrowIfNull(meters);
        var meter = meters.Create(Microsoft.Extensions.Hosting.Extensions.TelemetrySourceName);
        meter.CreateObservableGauge(OpenCasesName, () => Observe(c => c.Open, _openSeen),
            unit: "{case}", description: "Open cases (not completed, rejected, refused or withdrawn) by state and right.");
        meter.CreateObservableGauge(OverdueCasesName, () => Observe(c => c.Overdue, _overdueSeen),
            unit: "{case}", description: "Open cases past their legal due date, by state and right.");
    }

    /// <summary>Replaces the counts the gauges report.</summary>
    public void Update(CaseCounts counts)
    {
        ArgumentNullException.ThrowIfNull(counts);
        lock (_gate)
        {
            _counts = counts;
            _openSeen.UnionWith(counts.Open.Keys);
            _overdueSeen.UnionWith(counts.Overdue.Keys);
        }
    }

    private List<Measurement<int>> Observe(
        Func<CaseCounts, IReadOnlyDictionary<(string State, string Right), int>> select, HashSet<(string State, string Right)> seen)
    {
        lock (_gate)
        {
            var counts = select(_counts);
            return seen
                .Select(key => new Measurement<int>(
                    counts.GetValueOrDefault(key),
                    new KeyValuePair<string, object?>(StateTag, key.State),
                    new KeyValuePair<string, object?>(RightTag, key.Right)))
                .ToList();
        }
    }
}
