using Closely.BuildingBlocks.Privacy;
using Closely.Contracts;

namespace Closely.Intake.Persistence;

/// <summary>
/// A request as received, stored before it is acknowledged. Personal data is stored only encrypted (the columns
/// of <see cref="IntakeDbContext"/> declared with <c>HasEncryptedColumn</c>); the email is findable through its blind index.
/// </summary>
public sealed class IntakeRequest
{
    /// <summary>The case id.</summary>
    public required Guid Id { get; init; }

    public required string Reference { get; init; }

    /// <summary>The right invoked; for a request needing triage, the best guess.</summary>
    public required DataSubjectRight Right { get; init; }

    public required IntakeChannel Channel { get; init; }

    public required DateTimeOffset ReceivedAt { get; init; }

    /// <summary>The data subject's email (for an agent's request, the subject's, not the agent's).</summary>
    [PersonalData]
    public required string Email { get; set; }

    public required byte[] EmailIndex { get; set; }

    [PersonalData]
    public required string FullName { get; set; }

    [PersonalData]
    public string? Details { get; set; }

    /// <summary>For a restriction, the Art 18(1) ground chosen; null when none was given.</summary>
    public RestrictionGround? RestrictionGround { get; init; }

    /// <summary>For a rectification, the structured corrections as a JSON array of <see cref="FieldCorrection"/>; null when none were given.</summary>
    [PersonalData]
    public string? Corrections { get; set; }

    /// <summary>SHA-256 of the status token: what the status link is checked against.</summary>
    public required byte[] StatusTokenHash { get; init; }

    /// <summary>
    /// The status token, stored encrypted like the personal data, so that the outbox can give the acknowledgement
    /// its status link; null for requests stored before the acknowledgement carried one.
    /// </summary>
    [PersonalData]
    public string? StatusToken { get; set; }

    /// <summary>The language the requester is answered in (ISO 639-1): the page's for the form, Accept-Language for the APIs, the mail's.</summary>
    public required string Language { get; init; }

    /// <summary>The right could not be told with confidence; the DPO classifies the case.</summary>
    public bool NeedsTriage { get; init; }

    /// <summary>0 to 1 for a classified email; null when the requester chose the right.</summary>
    public double? ClassificationConfidence { get; init; }

    /// <summary>Set when an authorised agent made the request: the agent's email.</summary>
    [PersonalData]
    public string? AgentEmail { get; set; }

    [PersonalData]
    public string? AgentFullName { get; set; }

    /// <summary>The client company (configured id) that sent the request through the client API.</summary>
    public string? ClientId { get; init; }

    /// <summary>The client's <c>Idempotency-Key</c>; unique per client.</summary>
    public string? IdempotencyKey { get; init; }

    /// <summary>SHA-256 of the body sent with <see cref="IdempotencyKey"/>: a reuse with another body is refused.</summary>
    public byte[]? IdempotencyFingerprint { get; init; }

    /// <summary>SHA-256 of the mail's Message-ID for requests from the mailbox: a mail becomes one case only.</summary>
    public byte[]? MessageIdHash { get; init; }

    /// <summary>The W3C traceparent of the receiving request, so the case's trace continues from it.</summary>
    public string? TraceParent { get; init; }

    public List<RequestAttachment> Attachments { get; init; } = [];

    /// <summary>When <see cref="DsrReceived"/> left for the bus; null until then.</summary>
    public DateTimeOffset? PublishedAt { get; set; }

    /// <summary>
    /// The case's retention has ended (ADR 36): the addresses, names, what the requester wrote, the status token and the
    /// documents go; the reference, right, channel, dates, client and hashes stay.
    /// </summary>
    public void RemovePersonalData()
    {
        Email = "";
        EmailIndex = [];
        FullName = "";
        Details = null;
        Corrections = null;
        StatusToken = null;
        AgentEmail = null;
        AgentFullName = null;
        Attachments.Clear();
    }
}

public enum AttachmentKind
{
    /// <summary>An agent's written authority.</summary>
    Authority,

    /// <summary>A file attached to a mail to the privacy mailbox.</summary>
    Email,
}

/// <summary>A document received with a request; name and content stored encrypted.</summary>
public sealed class RequestAttachment
{
    public required Guid Id { get; init; }

    public Guid RequestId { get; init; }

    public required AttachmentKind Kind { get; init; }

    [PersonalData]
    public required string FileName { get; init; }

    /// <summary>Sniffed from the content for authorities; as declared for mail attachments.</summary>
    public required string ContentType { get; init; }

    [PersonalData]
    public required byte[] Content { get; init; }

    public required int SizeBytes { get; init; }
}

/// <summary>
/// An address that objected to direct marketing, held only as its keyed hash (the blind index), so the
/// list can be checked without keeping the address.
/// </summary>
public sealed class Suppression
{
    public required byte[] EmailIndex { get; set; }

    /// <summary><c>direct-marketing</c>.</summary>
    public required string Scope { get; init; }

    public required DateTimeOffset SuppressedAt { get; init; }

    /// <summary>The opt-out case that put the address on the list.</summary>
    public required Guid CaseId { get; init; }
}
