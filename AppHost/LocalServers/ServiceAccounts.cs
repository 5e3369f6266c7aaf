namespace Closely.AppHost.LocalServers;

/// <summary>
/// The services' own accounts (ADR 40): each is a PostgreSQL role and a RabbitMQ user <c>closely_&lt;account&gt;</c>,
/// which <c>scripts/lib/service-accounts.sh</c> creates with the passwords the AppHost hands to
/// <c>scripts/local-server.sh</c> (<c>CLOSELY_POSTGRES_PASSWORD_&lt;ACCOUNT&gt;</c>, <c>CLOSELY_RABBITMQ_PASSWORD_&lt;ACCOUNT&gt;</c>),
/// generated parameters <c>postgres-&lt;account&gt;-password</c> and <c>messaging-&lt;account&gt;-password</c>.
/// </summary>
public static class ServiceAccounts
{
    public const string Intake = "intake";
    public const string Identity = "identity";
    public const string Cases = "cases";
    public const string Notification = "notification";
    public const string Locator = "locator";
    public const string Executor = "executor";

    /// <summary>Every account, as scripts/lib/service-accounts.sh lists them.</summary>
    public static IReadOnlyList<string> All { get; } = [Intake, Identity, Cases, Notification, Locator, Executor];

    /// <summary>The PostgreSQL role and RabbitMQ user of <paramref name="account"/>.</summary>
    public static string UserName(string account) => "closely_" + account;

    /// <summary>The variable local-server.sh reads the account's password from, for <c>POSTGRES</c> or <c>RABBITMQ</c>.</summary>
    public static string PasswordVariable(string server, string account) =>
        $"CLOSELY_{server}_PASSWORD_{account.ToUpperInvariant()}";
}
