using System.Globalization;

namespace Closely.Cases.Saga;

// The end of a closed case's retention (ADR 36): its personal data goes, its evidence stays.
public partial class CaseState
{
    /// <summary>When the retention sweeper removed the case's personal data; null while it is kept.</summary>
    public DateTimeOffset? PersonalDataRemovedAt { get; set; }

    /// <summary>
    /// Removes the requester's and the agent's addresses, the address's blind index and what the requester wrote (the
    /// details, and a rectification's corrections with the DPO's decisions and statements);
    /// keeps the reference, right, channel, dates, outcome, per-store progress, notices, the package's hash and the
    /// audit trail, to which the removal is appended.
    /// </summary>
    public void RemovePersonalData(DateTimeOffset now, TimeSpan retention)
    {
        RequesterEmail = "";
        RequesterEmailIndex = [];
        AgentEmail = null;
        Details = null;
        CorrectionsData = null;
        PersonalDataRemovedAt = now;
        CaseAudit.Append(this, now, CaseAudit.System, "personal-data-removed", string.Create(CultureInfo.InvariantCulture,
            $"Retention of {retention.TotalDays:0} days after closing as {CurrentState} ended: the requester's and the agent's addresses, what the requester wrote and the agent's written authority were removed; the record of what was done stays."));
    }
}
