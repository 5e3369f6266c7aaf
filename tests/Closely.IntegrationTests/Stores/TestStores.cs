using Closely.IntegrationTests.Infrastructure;
using Closely.Stores.Operations;
using Closely.Stores.Registry;
using Closely.Stores.Samples;
using Microsoft.Extensions.Configuration;
using Npgsql;

namespace Closely.IntegrationTests.Stores;

/// <summary>The three sample stores, small and freshly seeded in databases of the test's own.</summary>
public sealed class TestStores
{
    public const int People = 200;

    private TestStores(Dictionary<string, string?> settings)
    {
        Settings = settings;
        Registry = StoreRegistryLoader.LoadFile(Path.Combine(AppContext.BaseDirectory, "stores.yaml"));
        Operations = new StoreOperations(new StoreConnections(new ConfigurationBuilder().AddInMemoryCollection(settings).Build()), TimeProvider.System);
    }

    /// <summary><c>ConnectionStrings:&lt;store connection&gt;</c> for each store, as a service reads them.</summary>
    public IReadOnlyDictionary<string, string?> Settings { get; }

    public StoreRegistry Registry { get; }

    public StoreOperations Operations { get; }

    /// <summary>Creates the three stores, each seeded with <paramref name="people"/> people (<see cref="People"/> unless told).</summary>
    public static async Task<TestStores> CreateAsync(PlatformServers servers, int people = People)
    {
        ArgumentNullException.ThrowIfNull(servers);
        var settings = new Dictionary<string, string?>();
        foreach (var sample in SampleStores.All)
        {
            var database = await servers.CreateDatabaseAsync("store");
            await SampleStoreSeeder.SeedAsync(database, sample, people, SampleStoreSeeder.DefaultSeed, CancellationToken.None);
            settings[$"ConnectionStrings:{sample.Database}"] = database;
        }

        return new TestStores(settings);
    }

    public StoreDefinition Store(string storeId) => Registry.Find(storeId) ?? throw new InvalidOperationException($"no store {storeId}");

    public string ConnectionString(string storeId) => Settings[$"ConnectionStrings:{Store(storeId).Connection}"]!;

    public async Task<T> ScalarAsync<T>(string storeId, string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString(storeId));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (T)(await command.ExecuteScalarAsync())!;
    }

    /// <summary>Runs <paramref name="sql"/> (one or more statements) in the store, e.g. to arrange a test's data.</summary>
    public async Task ExecuteAsync(string storeId, string sql)
    {
        await using var connection = new NpgsqlConnection(ConnectionString(storeId));
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    /// <summary>Makes a store's database refuse (or accept again) every connection: the store is down, then back.</summary>
    public async Task SetConnectionsAllowedAsync(PlatformServers servers, string storeId, bool allowed)
    {
        ArgumentNullException.ThrowIfNull(servers);
        var database = new NpgsqlConnectionStringBuilder(ConnectionString(storeId)).Database!;
        await using var connection = new NpgsqlConnection(servers.PostgresAdmin);
        await connection.OpenAsync();
        await using var alter = new NpgsqlCommand($"ALTER DATABASE \"{database}\" ALLOW_CONNECTIONS {(allowed ? "true" : "false")}", connection);
        await alter.ExecuteNonQueryAsync();
        if (!allowed)
        {
            NpgsqlConnection.ClearAllPools();
            await using var terminate = new NpgsqlCommand("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = @db AND pid <> pg_backend_pid()", connection);
            terminate.Parameters.AddWithValue("db", database);
            await terminate.ExecuteNonQueryAsync();
        }
    }

    /// <summary>The email of seeded person <paramref name="person"/>: the same in every store, as for a real person.</summary>
    public Task<string> EmailOfAsync(int person) =>
        ScalarAsync<string>("hetzner-fsn1-crm", $"SELECT email FROM people WHERE id = {person}");
}
