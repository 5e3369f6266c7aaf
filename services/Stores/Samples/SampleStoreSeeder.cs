using Closely.Stores.Operations;
using Npgsql;

namespace Closely.Stores.Samples;

/// <summary>Creates a sample store's schema and synthetic data, once: a seeded store has a row in <c>seed_info</c>.</summary>
public static class SampleStoreSeeder
{
    public const long DefaultSeed = 20261122;

    /// <summary>
    /// Seeds the database at <paramref name="connectionString"/> unless it was seeded before (then returns false), and
    /// gives the services' store roles the store's tables in either case (<see cref="StoreAccess"/>), so that a store
    /// seeded by an earlier version gets them too.
    /// </summary>
    public static async Task<bool> SeedAsync(
        string connectionString, SampleStore store, int people, long seed, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(people);
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);

        // Serialises concurrent seeders of the same database; released at commit.
        await ExecuteAsync(connection, transaction, "SELECT pg_advisory_xact_lock(20261122)", 0, 0, cancellationToken);
        await ExecuteAsync(connection, transaction, "CREATE TABLE IF NOT EXISTS seed_info (seeded_at timestamptz NOT NULL, people integer NOT NULL, seed bigint NOT NULL)", 0, 0, cancellationToken);
        bool seededBefore;
        await using (var check = new NpgsqlCommand("SELECT count(*) FROM seed_info", connection, transaction))
        {
            seededBefore = (long)(await check.ExecuteScalarAsync(cancellationToken))! > 0;
        }

        if (!seededBefore)
        {
            foreach (var sql in store.Schema.Concat(store.Data).Concat(store.DemoSubject))
            {
                await ExecuteAsync(connection, transaction, sql, people, seed, cancellationToken);
            }

            await ExecuteAsync(connection, transaction, "INSERT INTO seed_info (seeded_at, people, seed) VALUES (now(), @people, @seed)", people, seed, cancellationToken);
            await ExecuteAsync(connection, transaction, "ANALYZE", 0, 0, cancellationToken);
        }

        foreach (var sql in StoreAccess.Statements(store.EntityTables))
        {
            await ExecuteAsync(connection, transaction, sql, 0, 0, cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return !seededBefore;
    }

    /// <summary>Creates <paramref name="database"/> on the server of <paramref name="adminConnectionString"/> when missing; with <paramref name="reset"/> drops it first.</summary>
    public static async Task<string> EnsureDatabaseAsync(
        string adminConnectionString, string database, bool reset, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(adminConnectionString);
        await connection.OpenAsync(cancellationToken);
        var quoted = IdentityNormaliser.QuoteIdentifier(database);
        if (reset)
        {
            await ExecuteAsync(connection, null, $"DROP DATABASE IF EXISTS {quoted} WITH (FORCE)", 0, 0, cancellationToken);
        }

        await using var exists = new NpgsqlCommand("SELECT 1 FROM pg_database WHERE datname = @name", connection);
        exists.Parameters.AddWithValue("name", database);
        if (await exists.ExecuteScalarAsync(cancellationToken) is null)
        {
            await ExecuteAsync(connection, null, $"CREATE DATABASE {quoted}", 0, 0, cancellationToken);
        }

        return new NpgsqlConnectionStringBuilder(adminConnectionString) { Database = database }.ConnectionString;
    }

    private static async Task ExecuteAsync(
        NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql, int people, long seed, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction) { CommandTimeout = 600 };
        if (sql.Contains("@people", StringComparison.Ordinal))
        {
            command.Parameters.Add(new NpgsqlParameter<int>("people", people));
        }

        if (sql.Contains("@seed", StringComparison.Ordinal))
        {
            command.Parameters.Add(new NpgsqlParameter<long>("seed", seed));
        }

        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
