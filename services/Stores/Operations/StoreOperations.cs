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
public sealed partial class StoreOperations(StoreConnections connections, TimeProvider time)
{
    /// <summary>The ground a legal hold's rows are listed under in the restriction list.</summary>
    public const string LegalHoldGround = "legal-hold";

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
    /// Deletes or anonymises the subject's rows per the registry, children first; the rows of an entity under a
    /// legal hold are restricted instead, until the hold ends (<see cref="StoreActionRecord.Held"/>). Done once per
    /// case: a repeated request returns the recorded result (<see cref="StoreActionRecord.Repeated"/>).
    /// </summary>
    public async Task<StoreActionRecord> EraseAsync(StoreDefinition store, StoreActionRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var record = await RunOnceAsync(store, request, StoreActionKind.Erase,
            (session, definition, match, token) => EraseRowsAsync(session, definition, match, request.CaseId, token), cancellationToken);
        return store.Entities.Any(e => e.Hold is not null) ? record with { Held = await HeldAsync(store, request.CaseId, cancellationToken) } : record;
    }

    /// <summary>
    /// Restricts the subject's rows (Art 18): lists every matched row in the store's <see cref="RestrictionList"/>
    /// under the case and <paramref name="ground"/>, so that the store's <c>_available</c> views leave them out;
    /// the rows themselves stay unchanged. Done once per case, like every action.
    /// </summary>
    public Task<StoreActionRecord> RestrictAsync(StoreDefinition store, StoreActionRequest request, string ground, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        return RunOnceAsync(store, request, StoreActionKind.Restrict,
            (session, definition, match, token) => ListRowsAsync(session, definition, match, request.CaseId, ground, token), cancellationToken);
    }

    /// <summary>
    /// Lifts the case's restriction: removes the entries the case's restriction listed, whichever rows they are
    /// now, so the rows are available again. Done once per case.
    /// </summary>
    public Task<StoreActionRecord> LiftRestrictionAsync(StoreDefinition store, StoreActionRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        return RunOnceAsync(store, request, StoreActionKind.LiftRestriction,
            async (session, _, _, token) =>
            {
                await using var command = session.Command($"DELETE FROM {RestrictionList.Table} WHERE case_id = @case");
                command.Parameters.Add(new NpgsqlParameter<Guid>("case", request.CaseId));
                return await command.ExecuteNonQueryAsync(token);
            },
            cancellationToken);
    }

    /// <summary>
    /// Erases the rows the case's erasure kept under a legal hold whose hold has ended by today (ADR 31): each such row is
    /// deleted or anonymised per the registry, children first, and its entry leaves the restriction list, in the store's
    /// transaction with the ledger row. Rows whose hold has not ended stay held. Done once per case, like every action.
    /// </summary>
    public Task<StoreActionRecord> EraseHeldAsync(StoreDefinition store, StoreActionRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        return RunOnceAsync(store, request, StoreActionKind.EraseHeld,
            (session, definition, _, token) => EraseEndedHoldsAsync(session, definition, request.CaseId, token), cancellationToken);
    }

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

    private async Task<int> EraseRowsAsync(StoreSession session, StoreDefinition store, SubjectMatch match, Guid caseId, CancellationToken cancellationToken)
    {
        var affected = 0;
        foreach (var entity in store.Entities.Reverse())
        {
            var keys = match.Rows[entity.Name];
            if (keys.Count == 0)
            {
                continue;
            }

            if (entity.Hold is { } hold)
            {
                await HoldRowsAsync(session, entity, hold, keys, caseId, cancellationToken);
                continue;
            }

            await using var command = session.Command(EraseSql(entity));
            command.Parameters.Add(new NpgsqlParameter<long[]>("keys", keys.ToArray()));
            affected += await command.ExecuteNonQueryAsync(cancellationToken);
        }

        return affected;
    }

    private async Task<int> EraseEndedHoldsAsync(StoreSession session, StoreDefinition store, Guid caseId, CancellationToken cancellationToken)
    {
        var today = DateOnly.FromDateTime(Now().UtcDateTime);
        var affected = 0;
        foreach (var entity in store.Entities.Reverse().Where(e => e.Hold is not null))
        {
            await using var ended = session.Command(
                $"DELETE FROM {RestrictionList.Table} WHERE case_id = @case AND entity_table = @table " +
                $"AND ground = '{LegalHoldGround}' AND hold_ends_on <= @today RETURNING row_key");
            ended.Parameters.Add(new NpgsqlParameter<Guid>("case", caseId));
            ended.Parameters.Add(new NpgsqlParameter<string>("table", entity.Table));
            ended.Parameters.Add(new NpgsqlParameter<DateOnly>("today", today));
            var keys = new List<long>();
            await using (var reader = await ended.ExecuteReaderAsync(cancellationToken))
            {
                while (await reader.ReadAsync(cancellationToken))
                {
                    keys.Add(reader.GetInt64(0));
                }
            }

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

    private async Task<int> ListRowsAsync(
        StoreSession session, StoreDefinition store, SubjectMatch match, Guid caseId, string ground, CancellationToken cancellationToken)
    {
        var listed = 0;
        foreach (var entity in store.Entities)
        {
            var keys = match.Rows[entity.Name];
            if (keys.Count == 0)
            {
                continue;
            }

            await using var command = session.Command(
                $"INSERT INTO {RestrictionList.Table} (entity_table, row_key, case_id, ground, restricted_at) " +
                "SELECT @table, k, @case, @ground, @at FROM unnest(@keys) k ON CONFLICT DO NOTHING");
            command.Parameters.Add(new NpgsqlParameter<string>("table", entity.Table));
            command.Parameters.Add(new NpgsqlParameter<long[]>("keys", keys.ToArray()));
            command.Parameters.Add(new NpgsqlParameter<Guid>("case", caseId));
            command.Parameters.Add(new NpgsqlParameter<string>("ground", ground));
            command.Parameters.Add(new NpgsqlParameter<DateTimeOffset>("at", Now()));
            listed += await command.ExecuteNonQueryAsync(cancellationToken);
        }

        return listed;
    }

    // The rows stay, listed as restricted with the day their hold ends: the retention runs from the row's own date.
    private async Task HoldRowsAsync(
        StoreSession session, EntityDefinition entity, LegalHold hold, IReadOnlyList<long> keys, Guid caseId, CancellationToken cancellationToken)
    {
        var key = IdentityNormaliser.QuoteIdentifier(entity.Key);
        await using var command = session.Command(
            $"INSERT INTO {RestrictionList.Table} (entity_table, row_key, case_id, ground, hold_ends_on, restricted_at) " +
            $"SELECT @table, t.{key}, @case, '{LegalHoldGround}', (t.{IdentityNormaliser.QuoteIdentifier(hold.From)} + make_interval(years => @years))::date, @at " +
            $"FROM {IdentityNormaliser.QuoteIdentifier(entity.Table)} t WHERE t.{key} = ANY(@keys) ON CONFLICT DO NOTHING");
        command.Parameters.Add(new NpgsqlParameter<string>("table", entity.Table));
        command.Parameters.Add(new NpgsqlParameter<long[]>("keys", keys.ToArray()));
        command.Parameters.Add(new NpgsqlParameter<Guid>("case", caseId));
        command.Parameters.Add(new NpgsqlParameter<int>("years", hold.RetentionYears));
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset>("at", Now()));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>What the case's erasure keeps under legal holds, as the restriction list records it (committed with the erasure).</summary>
    private async Task<IReadOnlyList<HeldData>> HeldAsync(StoreDefinition store, Guid caseId, CancellationToken cancellationToken)
    {
        await using var connection = await connections.OpenAsync(store, cancellationToken);
        await using var command = new NpgsqlCommand(
            $"SELECT entity_table, count(*)::int, max(hold_ends_on) FROM {RestrictionList.Table} " +
            $"WHERE case_id = @case AND ground = '{LegalHoldGround}' GROUP BY entity_table ORDER BY entity_table", connection);
        command.Parameters.Add(new NpgsqlParameter<Guid>("case", caseId));
        var held = new List<HeldData>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            var entity = store.Entities.First(e => e.Table == reader.GetString(0));
            held.Add(new HeldData
            {
                Entity = entity.Name,
                Rows = reader.GetInt32(1),
                LegalBasis = entity.Hold?.Basis ?? "",
                HoldEndsOn = reader.GetFieldValue<DateOnly>(2),
            });
        }

        return held;
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
