namespace Closely.Stores.Registry;

/// <summary>One store of the data map, validated. Its entities are ordered parents before children.</summary>
public sealed record StoreDefinition(
    string Id,
    string Provider,
    string Region,
    string Kind,
    string Connection,
    IReadOnlyList<EntityDefinition> Entities)
{
    /// <summary>What the person is told about this store's processing (Art 15(1)); required for every store.</summary>
    public required ProcessingInformation Information { get; init; }
}

/// <summary>
/// A table holding personal data. Rows are found by their identity fields and/or through their
/// relation to a parent entity. Keys and foreign keys are bigint columns. An entity under a legal
/// <see cref="Hold"/> is restricted instead of erased (Art 17(3)).
/// </summary>
public sealed record EntityDefinition(
    string Name,
    string Table,
    string Key,
    IReadOnlyList<IdentityField> Identity,
    EntityRelation? Relation,
    ErasureAction Erasure,
    LegalHold? Hold = null)
{
    /// <summary>The categories of personal data the entity holds (Art 15(1)(b)), per language.</summary>
    public required LocalisedText Categories { get; init; }

    /// <summary>The person provided these rows themselves: they go into a portability package (Art 20).</summary>
    public bool Provided { get; init; }

    /// <summary>
    /// Where the entity holds the logical fields a rectification (Art 16) corrects: field (<c>jobTitle</c>, see
    /// <see cref="Closely.Contracts.RectificationFields"/>) to column. A field not listed is not corrected in this entity.
    /// </summary>
    public IReadOnlyDictionary<string, string> Fields { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);
}

/// <summary>
/// The Art 15(1) information of a store, each per language: the purposes (a) and their legal basis, the
/// recipients (c), how long the data is kept or the criteria (d), and where it came from (g).
/// </summary>
public sealed record ProcessingInformation(
    LocalisedText Purposes,
    LocalisedText LegalBasis,
    LocalisedText Recipients,
    LocalisedText Retention,
    LocalisedText Source);

/// <summary>A text of the registry in every language people are answered in (<see cref="Languages"/>).</summary>
public sealed record LocalisedText(IReadOnlyDictionary<string, string> ByLanguage)
{
    /// <summary>The languages every text must have: those of the platform's public pages and emails.</summary>
    public static IReadOnlyList<string> Languages { get; } = ["en", "de"];

    /// <summary>The text in <paramref name="language"/>, else in English.</summary>
    public string In(string? language) =>
        language is not null && ByLanguage.TryGetValue(language, out var text) ? text : ByLanguage["en"];
}

/// <summary>
/// A legal obligation to keep the entity's rows (Art 17(3)(b), e.g. invoices: German commercial and tax law, 10 years):
/// on erasure they are restricted instead, until <see cref="RetentionYears"/> after the date in column <see cref="From"/>.
/// </summary>
public sealed record LegalHold(string Basis, int RetentionYears, string From);

public sealed record IdentityField(string Column, IdentityKind Kind);

/// <summary>This entity's rows belong to the parent entity's row whose key is in <see cref="Column"/>.</summary>
public sealed record EntityRelation(string Parent, string Column);

public enum IdentityKind
{
    Email,
    LinkedIn,
    Phone,
}

public enum ErasureMode
{
    Delete,
    Anonymise,
}

/// <summary>What erasure does to the subject's rows: delete them, or set <see cref="Columns"/> to NULL.</summary>
public sealed record ErasureAction(ErasureMode Mode, IReadOnlyList<string> Columns)
{
    public static ErasureAction Delete { get; } = new(ErasureMode.Delete, []);
}
