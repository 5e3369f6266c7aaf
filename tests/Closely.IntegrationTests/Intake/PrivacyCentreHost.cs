using System.Collections.Concurrent;
using Closely.Intake;
using Closely.IntegrationTests.Infrastructure;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Closely.IntegrationTests.Intake;

/// <summary>The Intake service served on a loopback port, for a browser, on a real database and RabbitMQ virtual host.</summary>
public sealed class PrivacyCentreHost : IAsyncDisposable
{
    private readonly ServiceFactory<IntakeOptions> _factory;
    private readonly BusRecorders _recorders;

    private PrivacyCentreHost(PlatformServers servers, string database, Uri messaging, int permitsPerMinute)
    {
        Database = database;
        var settings = TestSettings.For(servers, database, messaging);
        settings["Intake:OutboxInterval"] = "00:00:00.500";
        settings["Intake:RateLimit:PermitsPerMinute"] = permitsPerMinute.ToString(System.Globalization.CultureInfo.InvariantCulture);
        _factory = new ServiceFactory<IntakeOptions>(settings);
        BaseUrl = _factory.ServeOnLoopback();
        _recorders = new BusRecorders(_factory.Services);
    }

    /// <summary>Starts the service; by default tests may send more forms a minute than a person would; with <paramref name="waitUntilHealthy"/> returns once its database and bus are ready.</summary>
    public static async Task<PrivacyCentreHost> StartAsync(
        PlatformServers servers, string database, Uri messaging, int permitsPerMinute = 1000, bool waitUntilHealthy = true)
    {
        var host = new PrivacyCentreHost(servers, database, messaging, permitsPerMinute);
        if (waitUntilHealthy)
        {
            await TestSettings.WaitUntilHealthyAsync(host._factory);
        }

        return host;
    }

    public Uri BaseUrl { get; }

    public string Database { get; }

    public IBus Bus => _factory.Services.GetRequiredService<IBus>();

    public Task<ConcurrentBag<T>> RecordAsync<T>()
        where T : class => _recorders.RecordAsync<T>();

    /// <summary>Every row of an Intake table (<c>requests</c>, <c>request_attachments</c> or <c>suppressions</c>) as PostgreSQL itself renders the raw row.</summary>
    public async Task<List<string>> RawRowsAsync(string table)
    {
        var sql = table switch
        {
            "requests" => "SELECT row_to_json(r)::text FROM intake.requests r",
            "request_attachments" => "SELECT row_to_json(r)::text FROM intake.request_attachments r",
            "suppressions" => "SELECT row_to_json(r)::text FROM intake.suppressions r",
            _ => throw new ArgumentOutOfRangeException(nameof(table), table, "not an Intake table"),
        };
        await using var connection = new NpgsqlConnection(Database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        var rows = new List<string>();
        while (await reader.ReadAsync())
        {
            rows.Add(reader.GetString(0));
        }

        return rows;
    }

    public async ValueTask DisposeAsync()
    {
        await _recorders.DisposeAsync();
        await _factory.DisposeAsync();
    }
}
