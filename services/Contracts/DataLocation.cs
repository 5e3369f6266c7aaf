namespace Closely.Contracts;

/// <summary>Ask DataLocator to find the subject in every registered store.</summary>
public record LocateSubjectData
{
    public required Guid CaseId { get; init; }

    public required string SubjectEmail { get; init; }
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

    public int TotalRows => RowsPerEntity.Values.Sum();
}
