using Closely.Intake;
using Closely.Intake.Outbox;
using Closely.IntegrationTests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Closely.IntegrationTests.Intake;

/// <summary>The Intake service in a test: its outbox passes every half second, its rows read as PostgreSQL renders them.</summary>
public static class IntakeTesting
{
    public static Task<ServiceHost<IntakeOptions>> StartIntakeAsync(
        this PlatformServers servers, string database, Uri messaging, Action<ServiceHostOptions>? configure = null) =>
        ServiceHost<IntakeOptions>.StartAsync(servers, database, messaging, configure, new Dictionary<string, string?> { ["Intake:OutboxInterval"] = "00:00:00.500" });

    /// <summary>The privacy centre for a browser, on a loopback port; by default tests may send more forms a minute than a person would.</summary>
    public static Task<ServiceHost<IntakeOptions>> StartPrivacyCentreAsync(
        this PlatformServers servers, string database, Uri messaging, int permitsPerMinute = 1000, bool waitUntilHealthy = true) =>
        servers.StartIntakeAsync(database, messaging, options =>
        {
            options.ServeOnLoopback = true;
            options.WaitUntilHealthy = waitUntilHealthy;
            options.Settings["Intake:RateLimit:PermitsPerMinute"] = permitsPerMinute.ToString(System.Globalization.CultureInfo.InvariantCulture);
        });

    /// <summary>One pass of the outbox, now; returns how many requests it published.</summary>
    public static Task<int> PublishPendingAsync(this ServiceHost<IntakeOptions> host)
    {
        ArgumentNullException.ThrowIfNull(host);
        return host.Services.GetRequiredService<OutboxPublisher>().PublishBatchAsync(CancellationToken.None);
    }

    /// <summary>Every row of an Intake table (<c>requests</c>, <c>request_attachments</c> or <c>suppressions</c>) as PostgreSQL itself renders the raw row.</summary>
    public static async Task<List<string>> RawRowsAsync(this ServiceHost<IntakeOptions> host, string table)
    {
        ArgumentNullException.ThrowIfNull(host);
        var sql = table switch
        {
            "requests" => "SELECT row_to_json(r)::text FROM intake.requests r",
            "request_attachments" => "SELECT row_to_json(r)::text FROM intake.request_attachments r",
            "suppressions" => "SELECT row_to_json(r)::text FROM intake.suppressions r",
            _ => throw new ArgumentOutOfRangeException(nameof(table), table, "not an Intake table"),
        };
        await using var connection = new NpgsqlConnection(host.Database);
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

    /// <summary>published_at of a request: null while unpublished; fails if there is no such request.</summary>
    public static async Task<DateTimeOffset?> PublishedAtAsync(this ServiceHost<IntakeOptions> host, Guid id)
    {
        ArgumentNullException.ThrowIfNull(host);
        await using var connection = new NpgsqlConnection(host.Database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT published_at FROM intake.requests WHERE id = @id", connection);
        command.Parameters.AddWithValue("id", id);
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync(), $"request {id} is stored");
        return reader.IsDBNull(0) ? null : reader.GetFieldValue<DateTimeOffset>(0);
    }
}
