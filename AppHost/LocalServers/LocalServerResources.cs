namespace Closely.AppHost.LocalServers;

/// <summary>
/// A server that <c>scripts/local-server.sh</c> sets up and runs in the foreground as an executable
/// resource: PostgreSQL, RabbitMQ, Dovecot or maildev from the machine's packages, as its system user,
/// with its data under the AppHost's data folder (see <see cref="LocalServerExtensions"/>).
/// </summary>
public class LocalServerResource(string name, string command, string workingDirectory)
    : ExecutableResource(name, command, workingDirectory);

/// <summary>PostgreSQL with the login role <c>closely</c> (CREATEDB) and its database <c>closely</c>.</summary>
public sealed class LocalPostgresResource(string name, string command, string workingDirectory, ParameterResource password)
    : LocalServerResource(name, command, workingDirectory), IResourceWithConnectionString
{
    public ParameterResource Password { get; } = password;

    public EndpointReference Endpoint => new(this, "tcp");

    /// <summary>The maintenance database <c>postgres</c>, for tools that create databases.</summary>
    public ReferenceExpression ConnectionStringExpression => Database("postgres");

    public ReferenceExpression Database(string database)
    {
        var connectionString = new ReferenceExpressionBuilder();
        connectionString.Append($"Host={Endpoint.Property(EndpointProperty.IPV4Host)};Port={Endpoint.Property(EndpointProperty.Port)};Username=closely;Password={Password}");
        connectionString.AppendLiteral($";Database={database}");
        return connectionString.Build();
    }
}

/// <summary>RabbitMQ with the management plugin and the administrator <c>closely</c> on the vhost <c>/</c>.</summary>
public sealed class LocalRabbitMQResource(string name, string command, string workingDirectory, ParameterResource password)
    : LocalServerResource(name, command, workingDirectory), IResourceWithConnectionString
{
    public ParameterResource Password { get; } = password;

    public EndpointReference Amqp => new(this, "amqp");

    public EndpointReference Management => new(this, "management");

    /// <summary>An <c>amqp://</c> URI, as the services read <c>ConnectionStrings:messaging</c>.</summary>
    public ReferenceExpression ConnectionStringExpression => ReferenceExpression.Create(
        $"amqp://closely:{Password}@{Amqp.Property(EndpointProperty.IPV4Host)}:{Amqp.Property(EndpointProperty.Port)}/");
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
