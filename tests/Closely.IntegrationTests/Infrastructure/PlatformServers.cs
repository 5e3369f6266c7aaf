using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using Closely.BuildingBlocks.Privacy;
using Closely.ServiceProcesses;
using Npgsql;
using Testcontainers.PostgreSql;
using Testcontainers.RabbitMq;

namespace Closely.IntegrationTests.Infrastructure;

/// <summary>
/// The real PostgreSQL and RabbitMQ the integration tests run against: the servers named in the
/// environment (what ./test.sh starts), else containers when Docker is reachable. Each test class
/// gets its own database and its own RabbitMQ virtual host, so classes run in parallel without
/// seeing each other's rows or messages.
/// </summary>
public sealed class PlatformServers : IAsyncLifetime
{
    private PostgreSqlContainer? _postgresContainer;
    private RabbitMqContainer? _rabbitContainer;

    public string PostgresAdmin { get; private set; } = "";

    public Uri RabbitMq { get; private set; } = null!;

    public Uri RabbitMqManagement { get; private set; } = null!;

    /// <summary>Keys for this test run only (privacy keys, the identity link signing key, the audit chain and anchor keys).</summary>
    public IReadOnlyDictionary<string, string?> PrivacySettings { get; } = new Dictionary<string, string?>(PlatformKeys.NewSettings())
    {
        // The environment names the privacy mailbox (Imap__Host, for run.sh); a service in a test polls it only
        // when the test points Imap:Host and Imap:Folder at a folder of its own.
        ["Imap:Host"] = "",
    };

    /// <summary>The privacy mailbox as imap://user:password@host:port (CLOSELY_TEST_IMAP); null when not set.</summary>
    public Uri? Imap { get; } = Environment.GetEnvironmentVariable("CLOSELY_TEST_IMAP") is { Length: > 0 } imap ? new Uri(imap) : null;

    public async Task InitializeAsync()
    {
        var postgres = Environment.GetEnvironmentVariable("CLOSELY_TEST_POSTGRES");
        var rabbit = Environment.GetEnvironmentVariable("CLOSELY_TEST_RABBITMQ");
        var management = Environment.GetEnvironmentVariable("CLOSELY_TEST_RABBITMQ_MANAGEMENT");
        if (!string.IsNullOrEmpty(postgres) && !string.IsNullOrEmpty(rabbit) && !string.IsNullOrEmpty(management))
        {
            PostgresAdmin = postgres;
            RabbitMq = new Uri(rabbit);
            RabbitMqManagement = new Uri(management);
            return;
        }

        if (!DockerIsReachable())
        {
            throw new InvalidOperationException(
                "The integration tests need PostgreSQL and RabbitMQ. Run them with ./test.sh, which installs and starts " +
                "local servers and sets CLOSELY_TEST_POSTGRES, CLOSELY_TEST_RABBITMQ and CLOSELY_TEST_RABBITMQ_MANAGEMENT; " +
                "or make a Docker engine reachable so that Testcontainers can start them.");
        }

        _postgresContainer = new PostgreSqlBuilder("postgres:15").Build();
        _rabbitContainer = new RabbitMqBuilder("rabbitmq:3.13-management").WithPortBinding(15672, true).Build();
        await Task.WhenAll(_postgresContainer.StartAsync(), _rabbitContainer.StartAsync());
        PostgresAdmin = _postgresContainer.GetConnectionString();
        RabbitMq = new Uri(_rabbitContainer.GetConnectionString());
        RabbitMqManagement = new UriBuilder("http", _rabbitContainer.Hostname, _rabbitContainer.GetMappedPublicPort(15672)).Uri;
    }

    public async Task DisposeAsync()
    {
        if (_postgresContainer is not null)
        {
            await _postgresContainer.DisposeAsync();
        }

        if (_rabbitContainer is not null)
        {
            await _rabbitContainer.DisposeAsync();
        }
    }

    /// <summary>Creates an empty database and returns its connection string.</summary>
    public async Task<string> CreateDatabaseAsync(string purpose)
    {
        var name = $"test_{purpose}_{Guid.NewGuid():N}"[..40].ToLowerInvariant();
        await using (var connection = new NpgsqlConnection(PostgresAdmin))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            await command.ExecuteNonQueryAsync();
        }

        return new NpgsqlConnectionStringBuilder(PostgresAdmin) { Database = name }.ConnectionString;
    }

    /// <summary>Creates a RabbitMQ virtual host for one test class and returns its amqp:// URI.</summary>
    public async Task<Uri> CreateVirtualHostAsync(string purpose)
    {
        var vhost = $"test-{purpose}-{Guid.NewGuid():N}";
        var user = Uri.UnescapeDataString(RabbitMq.UserInfo.Split(':')[0]);
        using var http = ManagementClient();
        (await http.PutAsync($"api/vhosts/{vhost}", null)).EnsureSuccessStatusCode();
        (await http.PutAsJsonAsync($"api/permissions/{vhost}/{user}", new { configure = ".*", write = ".*", read = ".*" }))
            .EnsureSuccessStatusCode();
        return new UriBuilder(RabbitMq) { Path = "/" + vhost }.Uri;
    }

    public async Task DeleteVirtualHostAsync(Uri virtualHost)
    {
        ArgumentNullException.ThrowIfNull(virtualHost);
        using var http = ManagementClient();
        await http.DeleteAsync($"api/vhosts/{virtualHost.AbsolutePath.TrimStart('/')}");
    }

    /// <summary>How many messages wait in <paramref name="queue"/> of <paramref name="virtualHost"/> (0 if it does not exist).</summary>
    public async Task<int> MessagesInQueueAsync(Uri virtualHost, string queue) =>
        await QueueAsync(virtualHost, queue) is { } info && info.TryGetProperty("messages", out var messages) ? messages.GetInt32() : 0;

    /// <summary>The management API's description of <paramref name="queue"/> (its counts, its policy); null when it does not exist.</summary>
    public async Task<System.Text.Json.JsonElement?> QueueAsync(Uri virtualHost, string queue)
    {
        ArgumentNullException.ThrowIfNull(virtualHost);
        using var http = ManagementClient();
        var vhost = Uri.EscapeDataString(virtualHost.AbsolutePath.TrimStart('/'));
        var response = await http.GetAsync(new Uri($"api/queues/{vhost}/{queue}", UriKind.Relative));
        if (response.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return null;
        }

        response.EnsureSuccessStatusCode();
        return await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>();
    }

    public PersonalDataProtector Protector() =>
        new(Microsoft.Extensions.Options.Options.Create(new PrivacyOptions
        {
            EncryptionKey = PrivacySettings["Privacy:EncryptionKey"]!,
            BlindIndexKey = PrivacySettings["Privacy:BlindIndexKey"]!,
        }));

    /// <summary><paramref name="value"/> sealed for the case's <paramref name="field"/> with the run's keys, as a sender puts it on the bus (ADR 38).</summary>
    public byte[] Seal(Guid caseId, string field, string value) => BusSeal.Seal(Protector(), caseId, field, value);

    internal HttpClient ManagementClient()
    {
        var http = new HttpClient { BaseAddress = RabbitMqManagement };
        var credentials = Uri.UnescapeDataString(RabbitMq.UserInfo);
        http.DefaultRequestHeaders.Authorization =
            new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(credentials)));
        return http;
    }

    private static bool DockerIsReachable() =>
        File.Exists("/var/run/docker.sock") || !string.IsNullOrEmpty(Environment.GetEnvironmentVariable("DOCKER_HOST"));
}

[CollectionDefinition(Name)]
public sealed class PlatformServersCollection : ICollectionFixture<PlatformServers>, ICollectionFixture<Browser>
{
    public const string Name = "platform servers";
}
