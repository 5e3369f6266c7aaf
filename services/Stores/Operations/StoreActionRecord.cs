using Closely.Contracts;

namespace Closely.Stores.Operations;

/// <summary>One action for one case in one store: the subject as the request names them.</summary>
public sealed record StoreActionRequest(Guid CaseId, SubjectIdentifiers Subject);

/// <summary>
/// What an action did in a store, as its ledger row records it: the rows affected, the identifiers the
/// store knew the subject by (hashed, for downstream systems), what was left alone as ambiguous, and when.
/// </summary>
public sealed record StoreActionRecord(
    Guid CaseId,
    string StoreId,
    StoreActionKind Action,
    int RowsAffected,
    IReadOnlyList<HashedIdentifier> Subject,
    IReadOnlyList<AmbiguousIdentifier> Ambiguous,
    DateTimeOffset CompletedAt)
{
    /// <summary>True when the action had been done before: nothing was done now, this is the recorded result.</summary>
    public bool Repeated { get; init; }

    /// <summary>For an erasure: the rows kept under a legal hold, restricted instead (as the store's restriction list records them).</summary>
    public IReadOnlyList<HeldData> Held { get; init; } = [];

    /// <summary>For a rectification: the logical fields the store maps among those corrected, never their values.</summary>
    public IReadOnlyList<string> Fields { get; init; } = [];
}
