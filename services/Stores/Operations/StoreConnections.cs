using Closely.Stores.Registry;
using Microsoft.Extensions.Configuration;
using Npgsql;

namespace Closely.Stores.Operations;

/// <summary>
/// Opens connections to a store from <c>ConnectionStrings:&lt;connection&gt;</c>; through the data source
/// <paramref name="dataSource"/> makes for a connection string when given (the benchmark's cost curve, whose data
/// sources log every command the store operations run so that it can EXPLAIN them), else Npgsql's own pool.
/// </summary>
public sealed class StoreConnections(IConfiguration configuration, Func<string, NpgsqlDataSource>? dataSource = null)
{
    public async Task<NpgsqlConnection> OpenAsync(StoreDefinition store, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        var connectionString = configuration.GetConnectionString(store.Connection);
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            throw new StoreNotConfiguredException(
                $"Store {store.Id}: ConnectionStrings:{store.Connection} is not set.");
        }

        var connection = dataSource is null ? new NpgsqlConnection(connectionString) : dataSource(connectionString).CreateConnection();
        try
        {
            await connection.OpenAsync(cancellationToken);
            return connection;
        }
        catch
        {
            await connection.DisposeAsync();
            throw;
        }
    }
}
