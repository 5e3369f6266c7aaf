namespace Closely.Contracts;

/// <summary>
/// The ground of a restriction under Art 18(1) GDPR. On the request API and in events it is written in
/// kebab case (<c>accuracy-contested</c>, <c>unlawful-processing</c>, <c>legal-claims</c>, <c>objection-pending</c>).
/// </summary>
public enum RestrictionGround
{
    /// <summary>Art 18(1)(a): the subject contests the accuracy of the data, for the time Closely needs to verify it.</summary>
    AccuracyContested,

    /// <summary>Art 18(1)(b): the processing is unlawful and the subject opposes erasure.</summary>
    UnlawfulProcessing,

    /// <summary>Art 18(1)(c): Closely no longer needs the data, but the subject needs it for legal claims.</summary>
    LegalClaims,

    /// <summary>Art 18(1)(d): the subject objected under Art 21(1); pending the verification of overriding grounds.</summary>
    ObjectionPending,
}

/// <summary>The kebab-case names of <see cref="RestrictionGround"/>, as the API and the events write them.</summary>
public static class RestrictionGrounds
{
    public static string Name(RestrictionGround ground) =>
        System.Text.Json.JsonNamingPolicy.KebabCaseLower.ConvertName(ground.ToString());

    /// <summary>The ground named <paramref name="name"/> (case ignored), or null when it names none.</summary>
    public static RestrictionGround? Parse(string? name)
    {
        foreach (var ground in Enum.GetValues<RestrictionGround>())
        {
            if (string.Equals(Name(ground), name?.Trim(), StringComparison.OrdinalIgnoreCase))
            {
                return ground;
            }
        }

        return null;
    }
}

/// <summary>
/// Downstream event, published to the exchange <c>Closely.Contracts:SubjectRestricted</c>: the subject's data in one
/// store was restricted (Art 18) — one event per store and case. Systems that copied data from that store stop
/// using their copies (keep them, but process them no further) until <see cref="SubjectRestrictionLifted"/>.
/// No plain personal data: the subject is named by hashes as in <see cref="SubjectErased"/>.
/// </summary>
public record SubjectRestricted
{
    public const int CurrentSchemaVersion = 1;

    public int SchemaVersion { get; init; } = CurrentSchemaVersion;

    public required Guid CaseId { get; init; }

    public required string StoreId { get; init; }

    public required IReadOnlyList<HashedIdentifier> Subject { get; init; }

    /// <summary>The Art 18(1) ground in kebab case (see <see cref="RestrictionGround"/>).</summary>
    public required string Ground { get; init; }

    /// <summary>Rows made unavailable in that store.</summary>
    public required int RowsAffected { get; init; }

    public required DateTimeOffset RestrictedAt { get; init; }
}

/// <summary>
/// Downstream event, published to the exchange <c>Closely.Contracts:SubjectRestrictionLifted</c>: the restriction of
/// case <see cref="CaseId"/> was lifted in one store (the requester was told beforehand, Art 18(3)); the copies may be
/// used again. One event per store and case.
/// </summary>
public record SubjectRestrictionLifted
{
    public const int CurrentSchemaVersion = 1;

    public int SchemaVersion { get; init; } = CurrentSchemaVersion;

    public required Guid CaseId { get; init; }

    public required string StoreId { get; init; }

    public required IReadOnlyList<HashedIdentifier> Subject { get; init; }

    /// <summary>Rows available again in that store.</summary>
    public required int RowsAffected { get; init; }

    public required DateTimeOffset LiftedAt { get; init; }
}
