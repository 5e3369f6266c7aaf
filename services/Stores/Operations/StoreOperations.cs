using Closely.Stores.Registry;
using Npgsql;

namespace Closely.Stores.Operations;

/// <summary>
/// Finds and erases a subject's rows in one store. Table and column names come from the validated
/// registry and are quoted; every value travels as a parameter.
/// </summary>
public sealed class StoreOperations(StoreConnections connections)
{
    /// <summary>Rows per entity: root rows found by any identity field, plus the rows related to them.</summary>
    public async Task<IReadOnlyDictionary<string, int>> LocateAsync(
        StoreDefinition store, SubjectIdentifiers subject, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        await using var connection = await connections.OpenAsync(store, cancellationToken);
        var known = await ExpandAsync(connection, null, store, subject, cancellationToken);
        var rows = await FindAsync(connection, null, store, known, cancellationToken);
        return rows.ToDictionary(r => r.Key, r => r.Value.Count, StringComparer.Ordinal);
    }

    /// <summary>
    /// Deletes or anonymises the subject's rows per the registry, children first, in one transaction.
    /// Returns the rows affected (erasing again finds nothing and returns 0) and every identifier the
    /// store knew the subject by, for downstream systems to match on.
    /// </summary>
    public async Task<ErasureResult> EraseAsync(StoreDefinition store, SubjectIdentifiers subject, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        await using var connection = await connections.OpenAsync(store, cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var known = await ExpandAsync(connection, transaction, store, subject, cancellationToken);
        var rows = await FindAsync(connection, transaction, store, known, cancellationToken);

        var affected = 0;
        foreach (var entity in store.Entities.Reverse())
        {
            var keys = rows[entity.Name];
            if (keys.Count == 0)
            {
                continue;
            }

            await using var command = new NpgsqlCommand(EraseSql(entity), connection, transaction);
            command.Parameters.Add(new NpgsqlParameter<long[]>("keys", keys.ToArray()));
            affected += await command.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return new ErasureResult(affected, known);
    }

    private static string EraseSql(EntityDefinition entity)
    {
        var table = IdentityNormaliser.QuoteIdentifier(entity.Table);
        var key = IdentityNormaliser.QuoteIdentifier(entity.Key);
        return entity.Erasure.Mode switch
        {
            ErasureMode.Delete => $"DELETE FROM {table} WHERE {key} = ANY(@keys)",
            _ => $"UPDATE {table} SET {string.Join(", ", entity.Erasure.Columns.Select(c => IdentityNormaliser.QuoteIdentifier(c) + " = NULL"))} WHERE {key} = ANY(@keys)",
        };
    }

    /// <summary>
    /// The subject as this store knows them: the identifiers the request gave, completed with the other
    /// identity fields of the rows those identifiers match (a verified email leads to the person's
    /// LinkedIn URL and phone), so that rows holding only another identifier are found too.
    /// </summary>
    private static async Task<SubjectIdentifiers> ExpandAsync(
        NpgsqlConnection connection,
        NpgsqlTransaction? transaction,
        StoreDefinition store,
        SubjectIdentifiers subject,
        CancellationToken cancellationToken)
    {
        var known = subject;
        foreach (var entity in store.Entities.Where(e => e.Identity.Count > 0))
        {
            var rows = await FindAsync(connection, transaction, store with { Entities = [entity with { Relation = null }] }, known, cancellationToken);
            var keys = rows[entity.Name];
            if (keys.Count == 0)
            {
                continue;
            }

            var columns = string.Join(", ", entity.Identity.Select(f => IdentityNormaliser.QuoteIdentifier(f.Column)));
            await using var command = new NpgsqlCommand(
                $"SELECT {columns} FROM {IdentityNormaliser.QuoteIdentifier(entity.Table)} WHERE {IdentityNormaliser.QuoteIdentifier(entity.Key)} = ANY(@keys)",
                connection,
                transaction);
            command.Parameters.Add(new NpgsqlParameter<long[]>("keys", keys.ToArray()));
            await using var reader = await command.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                for (var i = 0; i < entity.Identity.Count; i++)
                {
                    if (!reader.IsDBNull(i))
                    {
                        known = known.With(entity.Identity[i].Kind, reader.GetString(i));
                    }
                }
            }
        }

        return known;
    }

    // Parents come first in the registry, so each entity sees the keys found in its parent. Inside the
    // erase transaction the rows are locked, so nothing changes between finding and erasing.
    private static async Task<Dictionary<string, List<long>>> FindAsync(
        NpgsqlConnection connection,
        NpgsqlTransaction? transaction,
        StoreDefinition store,
        SubjectIdentifiers subject,
        CancellationToken cancellationToken)
    {
        var found = new Dictionary<string, List<long>>(StringComparer.Ordinal);
        foreach (var entity in store.Entities)
        {
            await using var command = new NpgsqlCommand { Connection = connection, Transaction = transaction };
            var conditions = new List<string>();
            foreach (var field in entity.Identity)
            {
                if (subject.Normalised(field.Kind) is not { } value)
                {
                    continue;
                }

                var parameter = $"p{command.Parameters.Count}";
                command.Parameters.Add(new NpgsqlParameter<string>(parameter, value));
                conditions.Add($"{IdentityNormaliser.SqlExpression(field.Kind, IdentityNormaliser.QuoteIdentifier(field.Column))} = @{parameter}");
            }

            if (entity.Relation is { } relation && found[relation.Parent] is { Count: > 0 } parentKeys)
            {
                var parameter = $"p{command.Parameters.Count}";
                command.Parameters.Add(new NpgsqlParameter<long[]>(parameter, parentKeys.ToArray()));
                conditions.Add($"{IdentityNormaliser.QuoteIdentifier(relation.Column)} = ANY(@{parameter})");
            }

            var keys = new List<long>();
            if (conditions.Count > 0)
            {
                command.CommandText =
                    $"SELECT {IdentityNormaliser.QuoteIdentifier(entity.Key)} FROM {IdentityNormaliser.QuoteIdentifier(entity.Table)} " +
                    $"WHERE {string.Join(" OR ", conditions)}" + (transaction is null ? "" : " FOR UPDATE");
                await using var reader = await command.ExecuteReaderAsync(cancellationToken);
                while (await reader.ReadAsync(cancellationToken))
                {
                    keys.Add(reader.GetInt64(0));
                }
            }

            found[entity.Name] = keys;
        }

        return found;
    }
}

/// <summary>What an erasure did in one store.</summary>
public sealed record ErasureResult(int RowsAffected, SubjectIdentifiers Subject);
