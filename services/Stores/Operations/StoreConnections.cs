using Closely.Stores.Registry;
using Microsoft.Extensions.Configuration;
using Npgsql;

namespace Closely.Stores.Operations;

/// <summary>Opens connections to a store from <c>ConnectionStrings:&lt;connection&gt;</c>.</summary>
public sealed class StoreConnections(IConfiguration configuration)
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

        var connection = new NpgsqlConnection(connectionString);
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
