using System.Collections.Concurrent;
using System.Text.Json;
using Closely.Contracts;
using Npgsql;
using NpgsqlTypes;

namespace Closely.Stores.Operations;

/// <summary>
/// The record of the actions done in a store, kept in the store's own database (<see cref="Table"/>), one
/// row per case, store and action, written in the same transaction as the action's effect: the effect and
/// its record commit together or not at all (ADR 12). A command that finds its row was carried out
/// before and gets the recorded result back, never a second effect.
/// </summary>
/// <remarks>
/// The table, and the store's restriction list (<see cref="RestrictionList"/>), are created on first use in each store (and found, without DDL, once it exists, so that a
/// store whose owners created it themselves needs no CREATE right). The row is taken first, as the
/// transaction's lock: a second command for the same key waits on it and then reads the committed
/// result. Any action of <see cref="StoreActionKind"/> keys its rows by its kebab-case name.
/// </remarks>
internal sealed class StoreLedger
{
    public const string Table = "closely_dsr.action_ledger";

    // Serialises the creation of the table by concurrent first users of one store.
    private const long CreationLock = 0x436C6F73656C7931;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>The statements that create the ledger and the restriction list; <see cref="StoreAccess"/> runs them too.</summary>
    internal static readonly string[] Creation =
    [
        .. RestrictionList.Creation,
        $"""
        CREATE TABLE IF NOT EXISTS {Table} (
            case_id uuid NOT NULL,
            store_id text NOT NULL,
            action text NOT NULL,
            rows_affected integer NOT NULL,
            subject jsonb NOT NULL,
            ambiguous jsonb NOT NULL,
            completed_at timestamptz NOT NULL,
            PRIMARY KEY (case_id, store_id, action))
        """,
    ];

    private readonly ConcurrentDictionary<string, bool> _ready = new(StringComparer.Ordinal);

    public async Task EnsureAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        var database = $"{connection.Host}:{connection.Port}/{connection.Database}";
        if (_ready.ContainsKey(database))
        {
            return;
        }

        // A first user that loses the race for the creation lock may still see the schema as missing (its
        // catalog caches are only refreshed at the next transaction) and fail on the name: it looks again.
        for (var attempt = 1; !await ExistsAsync(connection, cancellationToken); attempt++)
        {
            try
            {
                await CreateAsync(connection, cancellationToken);
            }
            catch (PostgresException exception) when (attempt < 3 && exception.SqlState is
                PostgresErrorCodes.UniqueViolation or PostgresErrorCodes.DuplicateSchema or PostgresErrorCodes.DuplicateTable)
            {
            }
        }

        _ready[database] = true;
    }

    private static async Task<bool> ExistsAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var exists = new NpgsqlCommand(
            $"SELECT to_regclass('{Table}') IS NOT NULL AND to_regclass('{RestrictionList.Table}') IS NOT NULL", connection);
        return (bool)(await exists.ExecuteScalarAsync(cancellationToken))!;
    }

    private static async Task CreateAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        foreach (var sql in Creation.Prepend($"SELECT pg_advisory_xact_lock({CreationLock})"))
        {
            await using var command = new NpgsqlCommand(sql, connection, transaction);
            await command.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    /// <summary>Takes the row for this action; false when it exists, i.e. the action was done before.</summary>
    public static async Task<bool> TryTakeAsync(StoreSession session, LedgerKey key, DateTimeOffset now, CancellationToken cancellationToken)
    {
        await using var command = key.Command(session,
            $"INSERT INTO {Table} (case_id, store_id, action, rows_affected, subject, ambiguous, completed_at) " +
            "VALUES (@case, @store, @action, 0, '[]', '[]', @at) ON CONFLICT DO NOTHING");
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset>("at", now));
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    public static async Task<StoreActionRecord> ReadAsync(StoreSession session, LedgerKey key, CancellationToken cancellationToken)
    {
        await using var command = key.Command(session,
            $"SELECT rows_affected, subject::text, ambiguous::text, completed_at FROM {Table} WHERE {LedgerKey.Where}");
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            throw new InvalidOperationException($"No ledger row for case {key.CaseId}, store {key.StoreId}, action {key.ActionName}.");
        }

        return new StoreActionRecord(
            key.CaseId,
            key.StoreId,
            key.Action,
            reader.GetInt32(0),
            JsonSerializer.Deserialize<List<HashedIdentifier>>(reader.GetString(1), Json) ?? [],
            JsonSerializer.Deserialize<List<AmbiguousIdentifier>>(reader.GetString(2), Json) ?? [],
            reader.GetFieldValue<DateTimeOffset>(3));
    }

    public static async Task CompleteAsync(StoreSession session, StoreActionRecord record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        await using var command = new LedgerKey(record.CaseId, record.StoreId, record.Action).Command(session,
            $"UPDATE {Table} SET rows_affected = @rows, subject = @subject, ambiguous = @ambiguous, completed_at = @at WHERE {LedgerKey.Where}");
        command.Parameters.Add(new NpgsqlParameter<int>("rows", record.RowsAffected));
        command.Parameters.Add(new NpgsqlParameter("subject", NpgsqlDbType.Jsonb) { Value = JsonSerializer.Serialize(record.Subject, Json) });
        command.Parameters.Add(new NpgsqlParameter("ambiguous", NpgsqlDbType.Jsonb) { Value = JsonSerializer.Serialize(record.Ambiguous, Json) });
        command.Parameters.Add(new NpgsqlParameter<DateTimeOffset>("at", record.CompletedAt));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}

/// <summary>What a ledger row is kept for: one action of one case in one store.</summary>
internal sealed record LedgerKey(Guid CaseId, string StoreId, StoreActionKind Action)
{
    public const string Where = "case_id = @case AND store_id = @store AND action = @action";

    public string ActionName => JsonNamingPolicy.KebabCaseLower.ConvertName(Action.ToString());

    public NpgsqlCommand Command(StoreSession session, string sql)
    {
        var command = session.Command(sql);
        command.Parameters.Add(new NpgsqlParameter<Guid>("case", CaseId));
        command.Parameters.Add(new NpgsqlParameter<string>("store", StoreId));
        command.Parameters.Add(new NpgsqlParameter<string>("action", ActionName));
        return command;
    }
}
