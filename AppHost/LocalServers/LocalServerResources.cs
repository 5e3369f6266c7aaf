namespace Closely.AppHost.LocalServers;

/// <summary>
/// A server that <c>scripts/local-server.sh</c> sets up and runs in the foreground as an executable
/// resource: PostgreSQL, RabbitMQ, Dovecot or maildev from the machine's packages, as its system user,
/// with its data under the AppHost's data folder (see <see cref="LocalServerExtensions"/>).
/// </summary>
public class LocalServerResource(string name, string command, string workingDirectory)
    : ExecutableResource(name, command, workingDirectory);

/// <summary>
/// PostgreSQL with the login role <c>closely</c> (CREATEDB) and its database <c>closely</c>, and the services' own roles
/// (<see cref="ServiceAccounts"/>), each owning its schema in <c>closely</c>.
/// </summary>
public sealed class LocalPostgresResource(
    string name, string command, string workingDirectory, ParameterResource password, IReadOnlyDictionary<string, ParameterResource> servicePasswords)
    : LocalServerResource(name, command, workingDirectory), IResourceWithConnectionString
{
    public ParameterResource Password { get; } = password;

    /// <summary>The password of each service account's role.</summary>
    public IReadOnlyDictionary<string, ParameterResource> ServicePasswords { get; } = servicePasswords;

    public EndpointReference Endpoint => new(this, "tcp");

    /// <summary>The maintenance database <c>postgres</c>, for tools that create databases.</summary>
    public ReferenceExpression ConnectionStringExpression => Database("postgres");

    /// <summary><paramref name="database"/> as the administrator <c>closely</c>.</summary>
    public ReferenceExpression Database(string database) => Connection("closely", Password, database);

    /// <summary><paramref name="database"/> as the role of service account <paramref name="account"/>.</summary>
    public ReferenceExpression ServiceDatabase(string account, string database) =>
        Connection(ServiceAccounts.UserName(account), ServicePasswords[account], database);

    private ReferenceExpression Connection(string user, ParameterResource password, string database)
    {
        var connectionString = new ReferenceExpressionBuilder();
        connectionString.Append($"Host={Endpoint.Property(EndpointProperty.IPV4Host)};Port={Endpoint.Property(EndpointProperty.Port)};Username=");
        connectionString.AppendLiteral(user);
        connectionString.Append($";Password={password}");
        connectionString.AppendLiteral($";Database={database}");
        return connectionString.Build();
    }
}

/// <summary>
/// RabbitMQ with the management plugin and the administrator <c>closely</c> on the vhost <c>/</c>, and the services' own
/// users (<see cref="ServiceAccounts"/>) with permissions on their own queues and exchanges.
/// </summary>
public sealed class LocalRabbitMQResource(
    string name, string command, string workingDirectory, ParameterResource password, IReadOnlyDictionary<string, ParameterResource> servicePasswords)
    : LocalServerResource(name, command, workingDirectory), IResourceWithConnectionString
{
    public ParameterResource Password { get; } = password;

    /// <summary>The password of each service account's user.</summary>
    public IReadOnlyDictionary<string, ParameterResource> ServicePasswords { get; } = servicePasswords;

    public EndpointReference Amqp => new(this, "amqp");

    public EndpointReference Management => new(this, "management");

    /// <summary>An <c>amqp://</c> URI of the administrator.</summary>
    public ReferenceExpression ConnectionStringExpression => ReferenceExpression.Create(
        $"amqp://closely:{Password}@{Amqp.Property(EndpointProperty.IPV4Host)}:{Amqp.Property(EndpointProperty.Port)}/");

    /// <summary>The <c>amqp://</c> URI of service account <paramref name="account"/>, as the services read <c>ConnectionStrings:messaging</c>.</summary>
    public ReferenceExpression ServiceConnection(string account)
    {
        var uri = new ReferenceExpressionBuilder();
        uri.AppendLiteral($"amqp://{ServiceAccounts.UserName(account)}:");
        uri.Append($"{ServicePasswords[account]}@{Amqp.Property(EndpointProperty.IPV4Host)}:{Amqp.Property(EndpointProperty.Port)}/");
        return uri.Build();
    }
}

/// <summary>Dovecot IMAP (plain, loopback only) with the one mailbox user <c>privacy</c>.</summary>
public sealed class LocalDovecotResource(string name, string command, string workingDirectory, ParameterResource password)
    : LocalServerResource(name, command, workingDirectory)
{
    public const string UserName = "privacy";

    public ParameterResource Password { get; } = password;

    public EndpointReference Imap => new(this, "imap");
}

/// <summary>maildev: the SMTP sink, its web UI and REST API (<c>/api/email</c>).</summary>
public sealed class LocalMailDevResource(string name, string command, string workingDirectory)
    : LocalServerResource(name, command, workingDirectory)
{
    public EndpointReference Smtp => new(this, "smtp");

    public EndpointReference Http => new(this, "http");
}
