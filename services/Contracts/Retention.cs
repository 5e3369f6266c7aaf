namespace Closely.Contracts;

/// <summary>
/// A closed case's retention period has ended (ADR 36): Cases has removed the personal data from its own record, and
/// every service that keeps a copy for the case (Intake's request, Identity's verification links) removes its copy,
/// keeping what shows what was done (ids, references, dates, hashes, counts). Carries no personal data; handling it
/// twice changes nothing.
/// </summary>
public record CaseRetentionEnded
{
    public required Guid CaseId { get; init; }

    /// <summary>When the case closed: the retention period ran from here.</summary>
    public required DateTimeOffset ClosedAt { get; init; }

    public required DateTimeOffset EndedAt { get; init; }
}
