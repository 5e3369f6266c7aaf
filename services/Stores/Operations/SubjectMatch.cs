using Closely.Contracts;

namespace Closely.Stores.Operations;

/// <summary>
/// The subject as one store knows them: computed once per action, inside the action's transaction
/// (<see cref="SubjectMatcher"/>), and the one answer every action acts on — locate counts these rows,
/// erase erases them, and restrict, rectify and export are to use the same.
/// </summary>
public sealed class SubjectMatch
{
    internal SubjectMatch(
        IReadOnlyList<Identifier> identifiers,
        IReadOnlyDictionary<string, IReadOnlyList<long>> rows,
        IReadOnlyList<AmbiguousIdentifier> ambiguous)
    {
        Identifiers = identifiers;
        Rows = rows;
        Ambiguous = ambiguous;
    }

    /// <summary>
    /// What the subject is known by in this store: the verified identifiers, and those found on the
    /// subject's rows that point at the subject alone. Downstream systems get these (hashed) to match on.
    /// </summary>
    public IReadOnlyList<Identifier> Identifiers { get; }

    /// <summary>The keys of the subject's rows per entity, in the registry's order (parents first).</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<long>> Rows { get; }

    /// <summary>Identifiers found on the subject's rows that other rows carry too: those rows are left alone.</summary>
    public IReadOnlyList<AmbiguousIdentifier> Ambiguous { get; }

    /// <summary>Rows per entity, in the registry's order.</summary>
    public IReadOnlyDictionary<string, int> RowsPerEntity =>
        Rows.ToDictionary(r => r.Key, r => r.Value.Count, StringComparer.Ordinal);

    public IReadOnlyList<HashedIdentifier> Hashes => Identifiers.Select(i => i.Hash()).ToList();
}
