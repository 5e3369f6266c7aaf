using Closely.Contracts;

namespace Closely.Intake.Persistence;

/// <summary>
/// A request as received, stored before it is acknowledged. Personal data is held only encrypted
/// (<see cref="Closely.BuildingBlocks.Privacy.PersonalDataProtector"/>); the email is findable through its blind index.
/// </summary>
public sealed class IntakeRequest
{
    /// <summary>The case id.</summary>
    public required Guid Id { get; init; }

    public required string Reference { get; init; }

    public required DataSubjectRight Right { get; init; }

    public required IntakeChannel Channel { get; init; }

    public required DateTimeOffset ReceivedAt { get; init; }

    public required byte[] EmailEncrypted { get; init; }

    public required byte[] EmailIndex { get; init; }

    public required byte[] FullNameEncrypted { get; init; }

    public byte[]? DetailsEncrypted { get; init; }

    /// <summary>SHA-256 of the status token; the token itself is never stored.</summary>
    public required byte[] StatusTokenHash { get; init; }

    /// <summary>When <see cref="DsrReceived"/> left for the bus; null until then.</summary>
    public DateTimeOffset? PublishedAt { get; set; }
}
