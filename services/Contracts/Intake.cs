namespace Closely.Contracts;

/// <summary>
/// A request was received and durably stored by Intake. Published from the stored row, so it may be
/// published more than once; the case saga treats a repeat as the same case.
/// </summary>
public record DsrReceived
{
    public required Guid CaseId { get; init; }

    /// <summary>The reference the requester sees, e.g. <c>DSR-2026-7K3M9Q</c>.</summary>
    public required string Reference { get; init; }

    public required DataSubjectRight Right { get; init; }

    public required IntakeChannel Channel { get; init; }

    /// <summary>The moment of receipt: the statutory clock starts here, whatever the channel.</summary>
    public required DateTimeOffset ReceivedAt { get; init; }

    /// <summary>The requester's email address: where verification links and notices go.</summary>
    public required string RequesterEmail { get; init; }
}
