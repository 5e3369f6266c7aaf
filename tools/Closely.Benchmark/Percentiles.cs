namespace Closely.Benchmark;

public static class Percentiles
{
    /// <summary>The <paramref name="percent"/>th percentile of <paramref name="values"/> (nearest rank); zero when there are none.</summary>
    public static TimeSpan NearestRank(IEnumerable<TimeSpan> values, int percent)
    {
        var sorted = values.Order().ToList();
        if (sorted.Count == 0)
        {
            return TimeSpan.Zero;
        }

        var rank = (int)Math.Ceiling(percent / 100.0 * sorted.Count);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Count - 1)];
    }
}
