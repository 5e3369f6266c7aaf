using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace Closely.AppHost.LocalServers;

/// <summary>
/// PostgreSQL, RabbitMQ, Dovecot and maildev as executable resources: no container runtime is needed.
/// Each runs <c>scripts/local-server.sh &lt;server&gt;</c> (the same set-up as run.sh's and test.sh's
/// servers), which listens on the target port DCP allocates and hands to it in the environment; DCP's proxy
/// serves the fixed port given here (a random one under Aspire.Hosting.Testing). Their data lives in
/// <c>LocalServers:DataDirectory</c> (default <c>.local/apphost</c>), apart from run.sh's and test.sh's
/// servers. Passwords are generated parameters; the script sets them again on every start.
/// </summary>
public static class LocalServerExtensions
{
    public const string DataDirectoryKey = "LocalServers:DataDirectory";

    public static IResourceBuilder<LocalPostgresResource> AddLocalPostgres(this IDistributedApplicationBuilder builder, string name, int port)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var password = Password(builder, name);
        var servicePasswords = ServicePasswords(builder, name);
        var server = builder.AddLocalServer(new LocalPostgresResource(name, Script(builder), RootDirectory(builder), password, servicePasswords), "postgres")
            .WithEndpoint(port: port, name: "tcp", env: "PG_PORT")
            .WithEnvironment("CLOSELY_POSTGRES_PASSWORD", ReferenceExpression.Create($"{password}"))
            .WithServicePasswords("POSTGRES", servicePasswords);
        return server.WithHealthCheck(builder, token => LocalServerHealthChecks.PostgresAsync(server.Resource, token));
    }

    public static IResourceBuilder<LocalRabbitMQResource> AddLocalRabbitMQ(this IDistributedApplicationBuilder builder, string name, int amqpPort, int managementPort)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var password = Password(builder, name);
        var servicePasswords = ServicePasswords(builder, name);
        var server = builder.AddLocalServer(new LocalRabbitMQResource(name, Script(builder), RootDirectory(builder), password, servicePasswords), "rabbitmq")
            .WithEndpoint(port: amqpPort, name: "amqp", env: "RABBIT_AMQP_PORT")
            .WithHttpEndpoint(port: managementPort, name: "management", env: "RABBIT_MGMT_PORT")
            // Erlang distribution (rabbitmqctl talks to the node over it); nobody else connects to it.
            .WithEndpoint(name: "distribution", env: "RABBIT_DIST_PORT")
            .WithEnvironment("CLOSELY_RABBITMQ_PASSWORD", ReferenceExpression.Create($"{password}"))
            .WithServicePasswords("RABBITMQ", servicePasswords);
        return server.WithHealthCheck(builder, token => LocalServerHealthChecks.RabbitMQAsync(server.Resource, token));
    }

    public static IResourceBuilder<LocalDovecotResource> AddLocalDovecot(this IDistributedApplicationBuilder builder, string name, int imapPort)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var password = Password(builder, name);
        var server = builder.AddLocalServer(new LocalDovecotResource(name, Script(builder), RootDirectory(builder), password), "dovecot")
            .WithEndpoint(port: imapPort, name: "imap", env: "IMAP_PORT")
            .WithEnvironment("CLOSELY_IMAP_PASSWORD", ReferenceExpression.Create($"{password}"));
        return server.WithHealthCheck(builder, token => LocalServerHealthChecks.ImapAsync(server.Resource, token));
    }

    public static IResourceBuilder<LocalMailDevResource> AddLocalMailDev(this IDistributedApplicationBuilder builder, string name, int smtpPort, int webPort)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return builder.AddLocalServer(new LocalMailDevResource(name, Script(builder), RootDirectory(builder)), "maildev")
            .WithEndpoint(port: smtpPort, name: "smtp", env: "SMTP_PORT")
            .WithHttpEndpoint(port: webPort, name: "http", env: "MAILDEV_WEB_PORT")
            .WithHttpHealthCheck("/api/email", endpointName: "http");
    }

    /// <summary>The AppHost's servers keep their data here, apart from run.sh's and test.sh's servers.</summary>
    public static string DataDirectory(this IDistributedApplicationBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        return Path.GetFullPath(builder.Configuration[DataDirectoryKey] is { Length: > 0 } configured
            ? configured
            : Path.Combine(RootDirectory(builder), ".local", "apphost"));
    }

    private static IResourceBuilder<T> AddLocalServer<T>(this IDistributedApplicationBuilder builder, T server, string kind)
        where T : LocalServerResource => builder.AddResource(server)
            .WithArgs(kind)
            .WithEnvironment("CLOSELY_LOCAL_DIR", builder.DataDirectory());

    private static IResourceBuilder<T> WithHealthCheck<T>(this IResourceBuilder<T> server, IDistributedApplicationBuilder builder,
        Func<CancellationToken, Task<Microsoft.Extensions.Diagnostics.HealthChecks.HealthCheckResult>> check)
        where T : LocalServerResource
    {
        var key = $"{server.Resource.Name}-ready";
        builder.Services.AddHealthChecks().AddAsyncCheck(key, check);
        return server.WithHealthCheck(key);
    }

    // Each service account's password, for the script that creates the account (scripts/lib/service-accounts.sh).
    private static IResourceBuilder<T> WithServicePasswords<T>(this IResourceBuilder<T> server, string kind, IReadOnlyDictionary<string, ParameterResource> passwords)
        where T : LocalServerResource
    {
        foreach (var (account, password) in passwords)
        {
            server.WithEnvironment(ServiceAccounts.PasswordVariable(kind, account), ReferenceExpression.Create($"{password}"));
        }

        return server;
    }

    private static Dictionary<string, ParameterResource> ServicePasswords(IDistributedApplicationBuilder builder, string name) =>
        ServiceAccounts.All.ToDictionary(account => account, account => Password(builder, $"{name}-{account}"));

    // Letters and digits only: the scripts write passwords into server configuration files and URIs.
    private static ParameterResource Password(IDistributedApplicationBuilder builder, string name) =>
        ParameterResourceBuilderExtensions.CreateDefaultPasswordParameter(builder, $"{name}-password", special: false);

    private static string RootDirectory(IDistributedApplicationBuilder builder) =>
        Path.GetFullPath(Path.Combine(builder.AppHostDirectory, ".."));

    private static string Script(IDistributedApplicationBuilder builder) =>
        Path.Combine(RootDirectory(builder), "scripts", "local-server.sh");
}
