namespace Closely.Contracts;

/// <summary>
/// The logical fields a rectification (Art 16) may correct, as the request API, the registry's per-entity
/// <c>fields</c> mapping and <see cref="SubjectRectified.Fields"/> name them.
/// </summary>
public static class RectificationFields
{
    public const string FullName = "fullName";
    public const string JobTitle = "jobTitle";
    public const string Company = "company";
    public const string Phone = "phone";
    public const string Email = "email";
    public const string LinkedInUrl = "linkedinUrl";
    public const string Country = "country";

    public static IReadOnlyList<string> All { get; } = [FullName, JobTitle, Company, Phone, Email, LinkedInUrl, Country];

    /// <summary>The field's name as written here, or null when <paramref name="name"/> (case ignored) names none.</summary>
    public static string? Parse(string? name) =>
        All.FirstOrDefault(f => string.Equals(f, name?.Trim(), StringComparison.OrdinalIgnoreCase));
}

/// <summary>
/// One correction: what the <see cref="Field"/> says now according to the requester (optional) and what it should say.
/// Personal data: it never travels on the bus in clear, only sealed (<c>SealedCorrections</c> of <see cref="DsrReceived"/>
/// and <see cref="ExecuteStoreAction"/>, ADR 29).
/// </summary>
public record FieldCorrection
{
    /// <summary>The longest value a correction (or the current value it replaces) may have: a name, a title, an address.</summary>
    public const int MaxLength = 300;

    /// <summary>One of <see cref="RectificationFields.All"/>.</summary>
    public required string Field { get; init; }

    public string? Current { get; init; }

    public required string Correction { get; init; }
}

/// <summary>
/// Downstream event, published to the exchange <c>Closely.Contracts:SubjectRectified</c>: the subject's data in one store
/// was rectified (Art 16) — one event per store and case. Systems that copied data from that store correct their copies
/// (Art 19): they read the named fields again from the store. It names the logical fields changed, never their values;
/// the subject is named by hashes as in <see cref="SubjectErased"/>.
/// </summary>
public record SubjectRectified
{
    public const int CurrentSchemaVersion = 1;

    public int SchemaVersion { get; init; } = CurrentSchemaVersion;

    public required Guid CaseId { get; init; }

    public required string StoreId { get; init; }

    public required IReadOnlyList<HashedIdentifier> Subject { get; init; }

    /// <summary>The logical fields changed in that store (<see cref="RectificationFields"/>), never their values.</summary>
    public required IReadOnlyList<string> Fields { get; init; }

    /// <summary>Rows updated in that store.</summary>
    public required int RowsAffected { get; init; }

    public required DateTimeOffset RectifiedAt { get; init; }
}
