namespace Closely.Contracts;

/// <summary>Ask DataLocator to find the subject in every registered store.</summary>
public record LocateSubjectData
{
    public required Guid CaseId { get; init; }

    /// <summary>The address the subject is searched by, sealed (<c>BusSeal.SubjectEmail</c>, ADR 38).</summary>
    public required byte[] SealedSubjectEmail { get; init; }
}

/// <summary>What each store holds about the subject: counts only, never the data itself.</summary>
public record SubjectDataLocated
{
    public required Guid CaseId { get; init; }

    public required IReadOnlyList<StoreFindings> Stores { get; init; }
}

public record StoreFindings
{
    public required string StoreId { get; init; }

    /// <summary>Rows found per entity, e.g. <c>people: 1, activity_events: 12</c>.</summary>
    public required IReadOnlyDictionary<string, int> RowsPerEntity { get; init; }

    /// <summary>
    /// False when the store could not be searched (e.g. unreachable). Such a store may hold the
    /// subject, so the action is still sent to it.
    /// </summary>
    public bool Reachable { get; init; } = true;

    /// <summary>Why the store could not be searched, in words without personal data.</summary>
    public string? Problem { get; init; }

    /// <summary>
    /// Identifiers found on the subject's rows that did not widen the search because other rows carry
    /// them too (or they are too weak to name one person): the rows they lead to are not counted and
    /// not acted on. Empty when the match is unambiguous (and from senders older than this field).
    /// </summary>
    public IReadOnlyList<AmbiguousIdentifier> Ambiguous { get; init; } = [];

    /// <summary>
    /// The logical fields (<see cref="RectificationFields"/>) the store's registry maps in the entities holding the subject's
    /// rows: what a rectification can correct there. Empty when none (and from senders older than this field).
    /// </summary>
    public IReadOnlyList<string> Fields { get; init; } = [];

    public int TotalRows => RowsPerEntity.Values.Sum();
}

/// <summary>
/// Which kind of identifier was ambiguous in which entity of a store: never the value. The DPO looks
/// at that entity for rows carrying the subject's identifier of that kind and decides by hand.
/// </summary>
public record AmbiguousIdentifier
{
    /// <summary>The registry's name of the entity whose rows carry the identifier, e.g. <c>people</c>.</summary>
    public required string Entity { get; init; }

    /// <summary><c>email</c>, <c>linkedin</c> or <c>phone</c>, as in <see cref="HashedIdentifier.Kind"/>.</summary>
    public required string Kind { get; init; }
}
