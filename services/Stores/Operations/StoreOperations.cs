using Closely.Contracts;
using Closely.Stores.Registry;
using Npgsql;

namespace Closely.Stores.Operations;

/// <summary>
/// Locates and erases a subject's rows in one store. Both act on the same <see cref="SubjectMatch"/>,
/// computed inside the action's own transaction.
/// </summary>
public sealed class StoreOperations(StoreConnections connections)
{
    /// <summary>The subject's rows per entity and what was ambiguous; reads only.</summary>
    public async Task<SubjectMatch> LocateAsync(StoreDefinition store, SubjectIdentifiers subject, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        await using var connection = await connections.OpenAsync(store, cancellationToken);
        return await SubjectMatcher.MatchAsync(new StoreSession(connection, null), store, subject, cancellationToken);
    }

    /// <summary>
    /// Deletes or anonymises the subject's rows per the registry, children first, in one transaction.
    /// Returns the rows affected (erasing again finds nothing and returns 0), the identifiers the store
    /// knew the subject by (hashed, for downstream systems) and what was left alone as ambiguous.
    /// </summary>
    public async Task<ErasureResult> EraseAsync(StoreDefinition store, SubjectIdentifiers subject, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        await using var connection = await connections.OpenAsync(store, cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var session = new StoreSession(connection, transaction);
        var match = await SubjectMatcher.MatchAsync(session, store, subject, cancellationToken);
        var rows = await EraseRowsAsync(session, store, match, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return new ErasureResult(rows, match.Hashes, match.Ambiguous);
    }

    private static async Task<int> EraseRowsAsync(StoreSession session, StoreDefinition store, SubjectMatch match, CancellationToken cancellationToken)
    {
        var affected = 0;
        foreach (var entity in store.Entities.Reverse())
        {
            var keys = match.Rows[entity.Name];
            if (keys.Count == 0)
            {
                continue;
            }

            await using var command = session.Command(EraseSql(entity));
            command.Parameters.Add(new NpgsqlParameter<long[]>("keys", keys.ToArray()));
            affected += await command.ExecuteNonQueryAsync(cancellationToken);
        }

        return affected;
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
}

/// <summary>What an erasure did in one store.</summary>
public sealed record ErasureResult(int RowsAffected, IReadOnlyList<HashedIdentifier> Subject, IReadOnlyList<AmbiguousIdentifier> Ambiguous);
