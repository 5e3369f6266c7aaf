using System.Collections.Concurrent;
using Closely.Intake;
using Closely.IntegrationTests.Infrastructure;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Closely.IntegrationTests.Intake;

/// <summary>The Intake service in-process on a real database and a real (or deliberately unreachable) RabbitMQ.</summary>
public sealed class IntakeHost : IAsyncDisposable
{
    private readonly ServiceFactory<IntakeOptions> _factory;
    private readonly BusRecorders _recorders;

    private IntakeHost(PlatformServers servers, string database, Uri messaging, IReadOnlyDictionary<string, string?>? extra)
    {
        Database = database;
        var settings = TestSettings.For(servers, database, messaging);
        settings["Intake:OutboxInterval"] = "00:00:00.500";
        foreach (var (key, value) in extra ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        _factory = new ServiceFactory<IntakeOptions>(settings);
        _recorders = new BusRecorders(_factory.Services);
        Client = _factory.CreateClient();
    }

    /// <summary>Starts the service; with <paramref name="waitUntilHealthy"/> returns once its database and bus are ready.</summary>
    public static async Task<IntakeHost> StartAsync(
        PlatformServers servers,
        string database,
        Uri messaging,
        IReadOnlyDictionary<string, string?>? settings = null,
        bool waitUntilHealthy = true)
    {
        ArgumentNullException.ThrowIfNull(servers);
        var host = new IntakeHost(servers, database, messaging, settings);
        if (waitUntilHealthy)
        {
            await TestSettings.WaitUntilHealthyAsync(host._factory);
        }

        return host;
    }

    public string Database { get; }

    public HttpClient Client { get; }

    public IBus Bus => _factory.Services.GetRequiredService<IBus>();

    public Task<ConcurrentBag<T>> RecordAsync<T>()
        where T : class => _recorders.RecordAsync<T>();

    /// <summary>Every stored request as PostgreSQL itself renders the raw row.</summary>
    public async Task<List<string>> RawRequestRowsAsync()
    {
        await using var connection = new NpgsqlConnection(Database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT row_to_json(r)::text FROM intake.requests r", connection);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<string>();
        while (await reader.ReadAsync())
        {
            rows.Add(reader.GetString(0));
        }

        return rows;
    }

    /// <summary>published_at of a request: null while unpublished; throws if there is no such request.</summary>
    public async Task<DateTimeOffset?> PublishedAtAsync(Guid id)
    {
        await using var connection = new NpgsqlConnection(Database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT published_at FROM intake.requests WHERE id = @id", connection);
        command.Parameters.AddWithValue("id", id);
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync(), $"request {id} is stored");
        return reader.IsDBNull(0) ? null : reader.GetFieldValue<DateTimeOffset>(0);
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _recorders.DisposeAsync();
        await _factory.DisposeAsync();
    }
}
