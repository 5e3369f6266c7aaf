namespace Closely.Stores.Registry;

/// <summary>One store of the data map, validated. Its entities are ordered parents before children.</summary>
public sealed record StoreDefinition(
    string Id,
    string Provider,
    string Region,
    string Kind,
    string Connection,
    IReadOnlyList<EntityDefinition> Entities);

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
    LegalHold? Hold = null);

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
