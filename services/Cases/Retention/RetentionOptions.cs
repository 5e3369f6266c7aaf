using System.ComponentModel.DataAnnotations;
using Closely.Cases.Saga;

namespace Closely.Cases.Retention;

/// <summary>
/// How long the personal data of a closed case is kept after it closed, per way the case ended (configuration section
/// <c>Retention</c>, ADR 36). A partially completed case is not closed (its failed stores are retried) and is kept. Afterwards the retention sweeper removes it; the case's record and audit trail stay.
/// </summary>
public sealed class RetentionOptions
{
    public const string SectionName = "Retention";

    private static readonly TimeSpan ThreeYears = TimeSpan.FromDays(3 * 365);

    /// <summary>A right carried out: three years, the regular limitation period for claims about it (§ 195 BGB).</summary>
    [Range(typeof(TimeSpan), "1.00:00:00", "3653.00:00:00")]
    public TimeSpan Completed { get; set; } = ThreeYears;

    /// <summary>Refused under Art 12(5): as long as a completed case, since the refusal may be challenged.</summary>
    [Range(typeof(TimeSpan), "1.00:00:00", "3653.00:00:00")]
    public TimeSpan Refused { get; set; } = ThreeYears;

    /// <summary>Never verified, or the identity or the agent's authority rejected: nothing was done; one year.</summary>
    [Range(typeof(TimeSpan), "1.00:00:00", "3653.00:00:00")]
    public TimeSpan Rejected { get; set; } = TimeSpan.FromDays(365);

    /// <summary>Withdrawn by the requester: nothing more was done; one year.</summary>
    [Range(typeof(TimeSpan), "1.00:00:00", "3653.00:00:00")]
    public TimeSpan Withdrawn { get; set; } = TimeSpan.FromDays(365);

    /// <summary>How often the sweeper looks for cases whose retention has ended.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "30.00:00:00")]
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromHours(6);

    /// <summary>The retention of a case that ended in <paramref name="state"/>; null for a state that is not an end.</summary>
    public TimeSpan? For(string state) => state switch
    {
        CaseStates.Completed => Completed,
        CaseStates.Refused => Refused,
        CaseStates.Rejected => Rejected,
        CaseStates.Withdrawn => Withdrawn,
        _ => null,
    };
}
