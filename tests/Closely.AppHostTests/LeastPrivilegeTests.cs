using Aspire.Hosting.Testing;
using Closely.AppHost.LocalServers;
using Closely.AppHostTests.Infrastructure;
using Npgsql;
using RabbitMQ.Client;
using RabbitMQ.Client.Exceptions;

namespace Closely.AppHostTests;

/// <summary>
/// The services' own accounts as the AppHost's servers have them (scripts/lib/service-accounts.sh, ADR 40): each
/// PostgreSQL role owns its schema and nothing else, the store roles only act on the store tables they need, and each
/// RabbitMQ user reaches only its own queues. The services doing their work with them is the AppHost's erasure test.
/// </summary>
[Collection(PlatformCollection.Name)]
public sealed class LeastPrivilegeTests(PlatformApp platform)
{
    private const string InsufficientPrivilege = "42501";
    private const string Store = "store_hetzner_fsn1_crm";

    [Fact]
    public async Task A_service_role_uses_its_own_schema_and_can_neither_read_another_nor_create_outside_it()
    {
        await using var intake = await OpenAsync(ServiceAccounts.Intake, "closely");
        Assert.False(await ScalarAsync(intake,
            "SELECT rolsuper OR rolcreatedb OR rolcreaterole FROM pg_roles WHERE rolname = current_user", r => r.GetBoolean(0)));

        // Its own tables, which its migrations made as this role.
        Assert.Equal("closely_intake", await ScalarAsync(intake,
            "SELECT string_agg(DISTINCT pg_get_userbyid(relowner), ',') FROM pg_class WHERE relnamespace = 'intake'::regnamespace AND relkind = 'r'", r => r.GetString(0)));
        await ExecuteAsync(intake, "CREATE TABLE intake.least_privilege_probe (id int); DROP TABLE intake.least_privilege_probe");

        await AssertRefusedAsync(intake, "SELECT count(*) FROM cases.case_sagas");
        await AssertRefusedAsync(intake, "CREATE TABLE public.least_privilege_probe (id int)");
        await AssertRefusedAsync(intake, "CREATE SCHEMA least_privilege_probe");
        var store = await Assert.ThrowsAsync<PostgresException>(() => OpenAsync(ServiceAccounts.Intake, Store));
        Assert.Equal(InsufficientPrivilege, store.SqlState);
    }

    [Fact]
    public async Task The_locators_store_role_reads_the_store_and_only_the_executors_may_delete_from_it()
    {
        await using var locator = await OpenAsync(ServiceAccounts.Locator, Store);
        Assert.True(await ScalarAsync(locator, "SELECT count(*) FROM people_available", r => r.GetInt64(0)) > 0);
        // A statement's privileges are checked whatever rows it would touch: WHERE false changes nothing.
        await AssertRefusedAsync(locator, "DELETE FROM people WHERE false");
        await AssertRefusedAsync(locator, "UPDATE people SET job_title = job_title WHERE false");
        await AssertRefusedAsync(locator, "INSERT INTO closely_dsr.restrictions SELECT * FROM closely_dsr.restrictions WHERE false");

        await using var executor = await OpenAsync(ServiceAccounts.Executor, Store);
        await ExecuteAsync(executor, "DELETE FROM people WHERE false");
        await ExecuteAsync(executor, "INSERT INTO closely_dsr.restrictions SELECT * FROM closely_dsr.restrictions WHERE false");
        // Not an entity of the store registry: the executor has nothing to do there.
        await AssertRefusedAsync(executor, "DELETE FROM companies WHERE false");
        await AssertRefusedAsync(executor, "CREATE TABLE closely_dsr.least_privilege_probe (id int)");
        var platformDatabase = await Assert.ThrowsAsync<PostgresException>(() => OpenAsync(ServiceAccounts.Executor, "closely"));
        Assert.Equal(InsufficientPrivilege, platformDatabase.SqlState);
    }

    [Theory]
    [InlineData(ServiceAccounts.Intake, "send-notification")]
    [InlineData(ServiceAccounts.Locator, "execute-store-action")]
    [InlineData(ServiceAccounts.Notification, "case-saga")]
    public async Task A_service_user_is_refused_another_services_queue_and_reads_its_own(string account, string foreignQueue)
    {
        await using var connection = await ConnectAsync(account);
        await using (var channel = await connection.CreateChannelAsync())
        {
            var refused = await Assert.ThrowsAsync<OperationInterruptedException>(() => channel.BasicGetAsync(foreignQueue, autoAck: false));
            Assert.Equal((ushort)403, refused.ShutdownReason?.ReplyCode);
        }

        var ownQueue = account switch
        {
            ServiceAccounts.Intake => "case-status",
            ServiceAccounts.Locator => "locate-subject-data",
            _ => "send-notification",
        };
        await using var own = await connection.CreateChannelAsync();
        // Not acknowledged: a message it happens to get goes back to the queue when the channel closes.
        await own.BasicGetAsync(ownQueue, autoAck: false);
        await own.CloseAsync();
    }

    private async Task<NpgsqlConnection> OpenAsync(string account, string database)
    {
        var admin = new NpgsqlConnectionStringBuilder(await platform.App.GetConnectionStringAsync("postgres"))
        {
            Username = ServiceAccounts.UserName(account),
            Password = platform.ServicePasswords[account].Postgres,
            Database = database,
            Pooling = false,
        };
        var connection = new NpgsqlConnection(admin.ConnectionString);
        await connection.OpenAsync();
        return connection;
    }

    private async Task<IConnection> ConnectAsync(string account)
    {
        var uri = new UriBuilder((await platform.App.GetConnectionStringAsync("messaging"))!)
        {
            UserName = ServiceAccounts.UserName(account),
            Password = platform.ServicePasswords[account].RabbitMQ,
        };
        return await new ConnectionFactory { Uri = uri.Uri }.CreateConnectionAsync();
    }

    private static async Task<T> ScalarAsync<T>(NpgsqlConnection connection, string sql, Func<NpgsqlDataReader, T> read)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync(), sql);
        return read(reader);
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }

    private static async Task AssertRefusedAsync(NpgsqlConnection connection, string sql)
    {
        var refused = await Assert.ThrowsAsync<PostgresException>(() => ExecuteAsync(connection, sql));
        Assert.Equal(InsufficientPrivilege, refused.SqlState);
    }
}
