using Closely.Contracts;
using Closely.Stores.Registry;
using static Closely.Stores.Operations.IdentityNormaliser;

namespace Closely.Stores.Operations;

/// <summary>
/// Conservative subject matching in one store (ADR 11). The verified identifiers find the subject's rows.
/// Another identifier found on those rows widens the search only when it is distinctive
/// (<see cref="IdentityNormaliser.IsDistinctive"/>) and points at the subject alone:
/// <list type="bullet">
/// <item>no row of a root entity (one without a parent: a person record of its own) other than the
/// subject's carries it, and</item>
/// <item>no other row of a dependent entity (e.g. data a client contributed) carries it together with a
/// parent or an identifier that the subject's rows do not carry — a record holding nothing but the
/// subject's identifiers names nobody else.</item>
/// </list>
/// Widening repeats until nothing new is found. Rows reachable only through an identifier that fails
/// the rule are left alone, and the match names the entity and the kind of that identifier.
/// Table and column names come from the validated registry and are quoted; values travel as parameters.
/// </summary>
internal static class SubjectMatcher
{
    public static async Task<SubjectMatch> MatchAsync(
        StoreSession session, StoreDefinition store, SubjectIdentifiers verified, CancellationToken cancellationToken)
    {
        var accepted = verified.All().Where(i => i.IsDistinctive).ToHashSet();
        while (true)
        {
            var (rows, carried) = await FindAsync(session, store, accepted, cancellationToken);
            var candidates = carried.Where(i => !accepted.Contains(i)).ToList();
            var known = accepted.Concat(candidates).ToList();
            var widening = new List<Identifier>();
            var ambiguous = new List<AmbiguousIdentifier>();
            foreach (var candidate in candidates)
            {
                var others = await EntitiesNamingOthersAsync(session, store, candidate, rows, known, cancellationToken);
                if (others.Count == 0 && candidate.IsDistinctive)
                {
                    widening.Add(candidate);
                }

                ambiguous.AddRange(others.Select(entity => new AmbiguousIdentifier { Entity = entity, Kind = IdentityKinds.Name(candidate.Kind) }));
            }

            if (widening.Count == 0)
            {
                return new SubjectMatch(
                    [.. accepted.OrderBy(i => i.Kind).ThenBy(i => i.Value, StringComparer.Ordinal)],
                    rows,
                    [.. ambiguous.Distinct().OrderBy(a => IndexOf(store, a.Entity)).ThenBy(a => a.Kind, StringComparer.Ordinal)]);
            }

            accepted.UnionWith(widening);
        }
    }

    /// <summary>
    /// The subject's rows per entity — those carrying an accepted identifier, and those related to the
    /// subject's rows of the parent entity — and every identifier the former carry. Parents come first in
    /// the registry, so each entity sees its parent's rows. Inside an action the rows are locked.
    /// </summary>
    private static async Task<(IReadOnlyDictionary<string, IReadOnlyList<long>> Rows, HashSet<Identifier> Carried)> FindAsync(
        StoreSession session, StoreDefinition store, IReadOnlySet<Identifier> accepted, CancellationToken cancellationToken)
    {
        var rows = new Dictionary<string, IReadOnlyList<long>>(StringComparer.Ordinal);
        var carried = new HashSet<Identifier>();
        foreach (var entity in store.Entities)
        {
            await using var command = session.Command();
            var carries = CarriesAny(command, entity, accepted);
            var related = entity.Relation is { } relation && rows[relation.Parent] is { Count: > 0 } parents
                ? $"{QuoteIdentifier(relation.Column)} = ANY({StoreSession.Parameter(command, parents.ToArray())})"
                : null;
            var keys = new List<long>();
            if (carries is not null || related is not null)
            {
                command.CommandText =
                    $"SELECT {QuoteIdentifier(entity.Key)}, coalesce({carries ?? "false"}, false)" +
                    string.Concat(entity.Identity.Select(f => ", " + Normalised(f))) +
                    $" FROM {QuoteIdentifier(entity.Table)} WHERE {string.Join(" OR ", new[] { carries, related }.OfType<string>())}" +
                    (session.LocksRows ? " FOR UPDATE" : "");
                await using var reader = await command.ExecuteReaderAsync(cancellationToken);
                while (await reader.ReadAsync(cancellationToken))
                {
                    keys.Add(reader.GetInt64(0));
                    if (!reader.GetBoolean(1))
                    {
                        continue;
                    }

                    for (var i = 0; i < entity.Identity.Count; i++)
                    {
                        if (!reader.IsDBNull(i + 2) && reader.GetString(i + 2) is { Length: > 0 } value)
                        {
                            carried.Add(new Identifier(entity.Identity[i].Kind, value));
                        }
                    }
                }
            }

            rows[entity.Name] = keys;
        }

        return (rows, carried);
    }

    /// <summary>The entities in which rows other than the subject's carry <paramref name="candidate"/> and name somebody else.</summary>
    private static async Task<List<string>> EntitiesNamingOthersAsync(
        StoreSession session,
        StoreDefinition store,
        Identifier candidate,
        IReadOnlyDictionary<string, IReadOnlyList<long>> subjectRows,
        IReadOnlyList<Identifier> known,
        CancellationToken cancellationToken)
    {
        var entities = new List<string>();
        foreach (var entity in store.Entities)
        {
            var fields = entity.Identity.Where(f => f.Kind == candidate.Kind).ToList();
            if (fields.Count == 0)
            {
                continue;
            }

            await using var command = session.Command();
            var value = StoreSession.Parameter(command, candidate.Value);
            var conditions = new List<string>
            {
                "(" + string.Join(" OR ", fields.Select(f => $"{Normalised(f)} = {value}")) + ")",
                $"NOT ({QuoteIdentifier(entity.Key)} = ANY({StoreSession.Parameter(command, subjectRows[entity.Name].ToArray())}))",
            };

            // Another root row is somebody's record of its own, and a weak identifier is ambiguous wherever else
            // it stands; only a distinctive one on a dependent row may name nobody else.
            if (entity.Relation is { } relation && candidate.IsDistinctive)
            {
                var namesOthers = new List<string> { $"{QuoteIdentifier(relation.Column)} IS NOT NULL" };
                foreach (var field in entity.Identity)
                {
                    var values = known.Where(i => i.Kind == field.Kind).Select(i => i.Value).ToArray();
                    namesOthers.Add($"(coalesce({Normalised(field)}, '') <> '' AND {Normalised(field)} <> ALL({StoreSession.Parameter(command, values)}))");
                }

                conditions.Add("(" + string.Join(" OR ", namesOthers) + ")");
            }

            command.CommandText = $"SELECT EXISTS (SELECT 1 FROM {QuoteIdentifier(entity.Table)} WHERE {string.Join(" AND ", conditions)})";
            if ((bool)(await command.ExecuteScalarAsync(cancellationToken))!)
            {
                entities.Add(entity.Name);
            }
        }

        return entities;
    }

    /// <summary>The SQL condition "this row carries one of <paramref name="accepted"/>", or null when the entity has no field for them.</summary>
    private static string? CarriesAny(Npgsql.NpgsqlCommand command, EntityDefinition entity, IReadOnlySet<Identifier> accepted)
    {
        var conditions = new List<string>();
        foreach (var field in entity.Identity)
        {
            var values = accepted.Where(i => i.Kind == field.Kind).Select(i => i.Value).ToArray();
            if (values.Length > 0)
            {
                conditions.Add($"{Normalised(field)} = ANY({StoreSession.Parameter(command, values)})");
            }
        }

        return conditions.Count == 0 ? null : "(" + string.Join(" OR ", conditions) + ")";
    }

    private static string Normalised(IdentityField field) => SqlExpression(field.Kind, QuoteIdentifier(field.Column));

    private static int IndexOf(StoreDefinition store, string entity) =>
        store.Entities.Select((e, i) => (e.Name, i)).First(x => x.Name == entity).i;
}
