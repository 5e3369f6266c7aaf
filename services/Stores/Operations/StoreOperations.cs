using System.Data;
using System.Data.Common;
using Closely.Contracts;
using Closely.Stores.Registry;
using Npgsql;

namespace Closely.Stores.Operations;

/// <summary>
/// Locates and acts on a subject's rows in one store. Every action runs through <see cref="RunOnceAsync"/>:
/// one store transaction that takes the action's ledger row, matches the subject (<see cref="SubjectMatch"/>),
/// applies the effect to the matched rows and records the result, all committed together.
/// </summary>
public sealed class StoreOperations(StoreConnections connections, TimeProvider time)
{
    private readonly StoreLedger _ledger = new();

    /// <summary>The subject's rows per entity and what was ambiguous; reads only, so it keeps no record.</summary>
    public async Task<SubjectMatch> LocateAsync(StoreDefinition store, SubjectIdentifiers subject, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        await using var connection = await connections.OpenAsync(store, cancellationToken);
        return await SubjectMatcher.MatchAsync(new StoreSession(connection, null), store, subject, cancellationToken);
    }

    /// <summary>
    /// Streams the subject's rows of every entity (or, for portability, of the entities the person
    /// <see cref="EntityDefinition.Provided"/>) to <paramref name="write"/>, parents first: the rows
    /// <see cref="SubjectMatcher"/> finds, never those reached only through an ambiguous identifier. One
    /// read-only snapshot, so that the entities agree with each other; reads only, so it keeps no record.
    /// </summary>
    public async Task<SubjectMatch> ExportAsync(
        StoreDefinition store,
        SubjectIdentifiers subject,
        bool providedOnly,
        Func<EntityDefinition, DbDataReader, CancellationToken, Task> write,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(write);
        await using var connection = await connections.OpenAsync(store, cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, cancellationToken);
        await using (var readOnly = new NpgsqlCommand("SET TRANSACTION READ ONLY", connection, transaction))
        {
            await readOnly.ExecuteNonQueryAsync(cancellationToken);
        }

        // The match reads without locking (no transaction in the session) but inside the snapshot.
        var match = await SubjectMatcher.MatchAsync(new StoreSession(connection, null), store, subject, cancellationToken);
        foreach (var entity in store.Entities.Where(e => !providedOnly || e.Provided))
        {
            var table = IdentityNormaliser.QuoteIdentifier(entity.Table);
            var key = IdentityNormaliser.QuoteIdentifier(entity.Key);
            await using var command = new NpgsqlCommand($"SELECT * FROM {table} WHERE {key} = ANY(@keys) ORDER BY {key}", connection, transaction);
            command.Parameters.Add(new NpgsqlParameter<long[]>("keys", match.Rows[entity.Name].ToArray()));
            await using var reader = await command.ExecuteReaderAsync(CommandBehavior.SequentialAccess, cancellationToken);
            await write(entity, reader, cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return match;
    }

    /// <summary>
    /// Deletes or anonymises the subject's rows per the registry, children first. Done once per case: a
    /// repeated request returns the recorded result (<see cref="StoreActionRecord.Repeated"/>).
    /// </summary>
    public Task<StoreActionRecord> EraseAsync(StoreDefinition store, StoreActionRequest request, CancellationToken cancellationToken) =>
        RunOnceAsync(store, request, StoreActionKind.Erase, EraseRowsAsync, cancellationToken);

    private async Task<StoreActionRecord> RunOnceAsync(
        StoreDefinition store,
        StoreActionRequest request,
        StoreActionKind action,
        Func<StoreSession, StoreDefinition, SubjectMatch, CancellationToken, Task<int>> effect,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(request);
        await using var connection = await connections.OpenAsync(store, cancellationToken);
        await _ledger.EnsureAsync(connection, cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var session = new StoreSession(connection, transaction);
        var key = new LedgerKey(request.CaseId, store.Id, action);
        if (!await StoreLedger.TryTakeAsync(session, key, Now(), cancellationToken))
        {
            var recorded = await StoreLedger.ReadAsync(session, key, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return recorded with { Repeated = true };
        }

        var match = await SubjectMatcher.MatchAsync(session, store, request.Subject, cancellationToken);
        var rows = await effect(session, store, match, cancellationToken);
        var record = new StoreActionRecord(request.CaseId, store.Id, action, rows, match.Hashes, match.Ambiguous, Now());
        await StoreLedger.CompleteAsync(session, record, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return record;
    }

    // Whole milliseconds, which survive the ledger's round trip: a repeated result carries the very same time.
    private DateTimeOffset Now() => DateTimeOffset.FromUnixTimeMilliseconds(time.GetUtcNow().ToUnixTimeMilliseconds());

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
