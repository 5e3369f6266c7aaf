namespace Closely.Contracts;

/// <summary>
/// Downstream event, published to the exchange <c>Closely.Contracts:SubjectObjected</c>: the subject
/// objected to direct marketing (Art 21(2)), which is absolute. Every system that markets to business
/// contacts stops doing so for this subject at once, and keeps them suppressed. The subject is named by
/// SHA-256 hashes of normalised identifiers (see <see cref="HashedIdentifier"/>), never in plain text.
/// Fields are only ever added; a breaking change gets a new <see cref="SchemaVersion"/>.
/// </summary>
public record SubjectObjected
{
    public const int CurrentSchemaVersion = 1;

    public int SchemaVersion { get; init; } = CurrentSchemaVersion;

    /// <summary>The objection's case id (opt-outs are recorded as cases, closed at once).</summary>
    public required Guid CaseId { get; init; }

    /// <summary>What the subject objected to; <c>direct-marketing</c> for the opt-out page.</summary>
    public required string Scope { get; init; }

    public required IReadOnlyList<HashedIdentifier> Subject { get; init; }

    public required DateTimeOffset ObjectedAt { get; init; }
}
