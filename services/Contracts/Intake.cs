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

    /// <summary>The right invoked; for a request that needs triage, the best guess.</summary>
    public required DataSubjectRight Right { get; init; }

    public required IntakeChannel Channel { get; init; }

    /// <summary>The moment of receipt: the statutory clock starts here, whatever the channel.</summary>
    public required DateTimeOffset ReceivedAt { get; init; }

    /// <summary>
    /// The data subject's email address, sealed (encrypted and bound to the case and the field, <c>BusSeal</c>, ADR 38):
    /// where verification links and notices go, and the address the subject is looked up by. For an agent's request
    /// this is the subject's address, not the agent's.
    /// </summary>
    public required byte[] SealedRequesterEmail { get; init; }

    /// <summary>
    /// True when the right could not be told with confidence (e.g. an unclear email): the DPO
    /// classifies the case before anything is carried out.
    /// </summary>
    public bool NeedsTriage { get; init; }

    /// <summary>How sure the classification of <see cref="Right"/> is, 0 to 1; null when the requester chose it.</summary>
    public double? ClassificationConfidence { get; init; }

    /// <summary>
    /// Set when an authorised agent made the request for the subject: the agent's email address, sealed, which
    /// also gets the notices. Such a case needs the DPO's approval of the agent's written authority
    /// besides the subject's own confirmation.
    /// </summary>
    public byte[]? SealedAgentEmail { get; init; }

    /// <summary>
    /// The agent's written authority (PDF or image) as uploaded, a <see cref="DocumentAttachment"/> sealed as JSON;
    /// present only with <see cref="SealedAgentEmail"/>.
    /// </summary>
    public byte[]? SealedAgentAuthority { get; init; }

    /// <summary>
    /// What the requester wrote, sealed: for rectification what is wrong and the correction, for restriction
    /// the Art 18(1) ground, for an email the text of the mail. The DPO reads it; it is stored encrypted.
    /// </summary>
    public byte[]? SealedDetails { get; init; }

    /// <summary>
    /// For a restriction request, the Art 18(1) ground the requester chose; null when none was given (the DPO asks).
    /// </summary>
    public RestrictionGround? RestrictionGround { get; init; }

    /// <summary>
    /// For a rectification request, the requester's structured corrections (<see cref="FieldCorrection"/>), sealed (encrypted
    /// and bound to the case, ADR 29) so that the values are not on the bus in clear; null when none were given.
    /// </summary>
    public byte[]? SealedCorrections { get; init; }

    /// <summary>The client company that forwarded the request through the client API, by its configured id.</summary>
    public string? ClientId { get; init; }

    /// <summary>
    /// The language the requester is answered in, as an ISO 639-1 code (<c>en</c>, <c>de</c>): the page's
    /// language for the web form, Accept-Language for the APIs, the language the classifier recognised for a
    /// mail. Null or a language not offered means English.
    /// </summary>
    public string? Language { get; init; }

    /// <summary>
    /// The requester's status link, sealed (it carries the request's status token), for the acknowledgement. It leads
    /// to a page without personal data; the case does not keep it.
    /// </summary>
    public byte[]? SealedStatusUrl { get; init; }
}

/// <summary>
/// A document sent with a request. Content type as sniffed from the bytes, not as claimed. Travels only sealed
/// (<see cref="DsrReceived.SealedAgentAuthority"/>).
/// </summary>
public record DocumentAttachment
{
    public required string FileName { get; init; }

    public required string ContentType { get; init; }

    public required byte[] Content { get; init; }
}
