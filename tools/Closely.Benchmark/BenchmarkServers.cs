using Npgsql;

namespace Closely.Benchmark;

/// <summary>
/// The servers a run uses, as <c>scripts/servers.sh</c> exports them for ./test.sh's fixtures (and ./bench.sh):
/// <c>CLOSELY_TEST_POSTGRES</c> (a role that may create databases), <c>CLOSELY_TEST_RABBITMQ</c> and
/// <c>_MANAGEMENT</c>, <c>CLOSELY_TEST_SMTP</c> and <c>CLOSELY_TEST_MAILDEV</c>.
/// </summary>
public sealed record BenchmarkServers(string PostgresAdmin, Uri RabbitMq, Uri RabbitMqManagement, string SmtpHost, int SmtpPort, Uri MailDev)
{
    public static BenchmarkServers FromEnvironment()
    {
        var smtp = Required("CLOSELY_TEST_SMTP");
        var colon = smtp.LastIndexOf(':');
        return new BenchmarkServers(
            Required("CLOSELY_TEST_POSTGRES"),
            new Uri(Required("CLOSELY_TEST_RABBITMQ")),
            new Uri(Required("CLOSELY_TEST_RABBITMQ_MANAGEMENT")),
            smtp[..colon],
            int.Parse(smtp[(colon + 1)..], System.Globalization.CultureInfo.InvariantCulture),
            new Uri(Required("CLOSELY_TEST_MAILDEV")));
    }

    /// <summary>Creates a database and returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync(string name, CancellationToken cancellationToken)
    {
        await ExecuteAdminAsync($"CREATE DATABASE \"{name}\"", cancellationToken);
        return new NpgsqlConnectionStringBuilder(PostgresAdmin) { Database = name }.ConnectionString;
    }

    public Task DropDatabaseAsync(string name) => ExecuteAdminAsync($"DROP DATABASE IF EXISTS \"{name}\" WITH (FORCE)", CancellationToken.None);

    private async Task ExecuteAdminAsync(string sql, CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(PostgresAdmin);
        await connection.OpenAsync(cancellationToken);
        // CREATE and DROP DATABASE wait for a checkpoint, which on a server busy with other work takes longer than Npgsql's 30 s.
        await using var command = new NpgsqlCommand(sql, connection) { CommandTimeout = 600 };
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static string Required(string name) =>
        Environment.GetEnvironmentVariable(name) is { Length: > 0 } value
            ? value
            : throw new InvalidOperationException($"{name} is not set: run the benchmark with ./bench.sh, which starts the servers and sets it.");
}
