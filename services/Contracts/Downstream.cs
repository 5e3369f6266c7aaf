namespace Closely.Contracts;

/// <summary>
/// Downstream event, published to the exchange <c>Closely.Contracts:SubjectErased</c>: the subject's
/// data was erased from one store (one event per store and case). Downstream systems that copied
/// data from that store erase their copies. It carries no plain personal data: the subject is named
/// by SHA-256 hashes of normalised identifiers, which a system holding the identifier can match.
/// Fields are only ever added; a breaking change gets a new <see cref="SchemaVersion"/>.
/// </summary>
public record SubjectErased
{
    public const int CurrentSchemaVersion = 1;

    public int SchemaVersion { get; init; } = CurrentSchemaVersion;

    public required Guid CaseId { get; init; }

    public required string StoreId { get; init; }

    /// <summary>One entry per identifier the erasure was made for.</summary>
    public required IReadOnlyList<HashedIdentifier> Subject { get; init; }

    public required int RowsAffected { get; init; }

    public required DateTimeOffset ErasedAt { get; init; }
}

/// <summary>
/// <see cref="Kind"/> is <c>email</c> (trimmed, lower-case), <c>linkedin</c> (lower-case, without
/// scheme, <c>www.</c> and trailing slash) or <c>phone</c> (digits only); <see cref="Sha256"/> is the
/// lower-case hex SHA-256 of the UTF-8 bytes of that normal form.
/// </summary>
public record HashedIdentifier
{
    public required string Kind { get; init; }

    public required string Sha256 { get; init; }

    /// <summary>The hashed form of an identifier already in its normal form (see above).</summary>
    public static HashedIdentifier Of(string kind, string normalisedValue)
    {
        ArgumentNullException.ThrowIfNull(normalisedValue);
        return new HashedIdentifier
        {
            Kind = kind,
            Sha256 = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(normalisedValue))),
        };
    }

    /// <summary>The hashed form of an email address: trimmed and lower-cased, then hashed.</summary>
    public static HashedIdentifier Email(string email)
    {
        ArgumentNullException.ThrowIfNull(email);
        return Of("email", email.Trim().ToLowerInvariant());
    }
}
