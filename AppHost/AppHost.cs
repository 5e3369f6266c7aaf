var builder = DistributedApplication.CreateBuilder(args);

// PostgreSQL: the platform database and the three sample stores (Hetzner DE, Hetzner FI, AWS).
// Resource names allow only letters, digits and hyphens, so each store has a hyphenated resource
// name; services still read ConnectionStrings:<database name> (see WithStores).
var postgres = builder.AddPostgres("postgres").WithDataVolume();
var closelyDb = postgres.AddDatabase("closely");
IResourceBuilder<PostgresDatabaseResource>[] stores =
[
    postgres.AddDatabase("store-hetzner-fsn1-crm", "store_hetzner_fsn1_crm"),
    postgres.AddDatabase("store-hetzner-hel1-outreach", "store_hetzner_hel1_outreach"),
    postgres.AddDatabase("store-aws-euc1-analytics", "store_aws_euc1_analytics"),
];

// RabbitMQ: ConnectionStrings:messaging is an amqp:// URI.
var messaging = builder.AddRabbitMQ("messaging").WithManagementPlugin();

// maildev: the SMTP sink (web UI and /api/email on "http"). There is no IMAP container: Intake's
// mailbox poller is configured by parameters (Imap__Host/Port/Username/Password, and Imap__UseTls,
// Imap__Folder/ProcessedFolder/IgnoredFolder/PollInterval when the defaults do not fit, in Intake's
// own configuration, e.g. its user secrets), not by this AppHost; without Imap__Host it polls nothing.
var maildev = builder.AddContainer("maildev", "maildev/maildev", "2.2.1")
    .WithEndpoint(targetPort: 1025, name: "smtp")
    .WithHttpEndpoint(targetPort: 1080, name: "http");
var smtp = maildev.GetEndpoint("smtp");

// 32 random bytes in base64 each (openssl rand -base64 32); see README.md.
var encryptionKey = builder.AddParameter("privacy-encryption-key", secret: true);
var blindIndexKey = builder.AddParameter("privacy-blind-index-key", secret: true);
var linkSigningKey = builder.AddParameter("identity-link-signing-key", secret: true);

AddService<Projects.Closely_Intake>("intake").WithExternalHttpEndpoints();
AddService<Projects.Closely_Identity>("identity")
    .WithEnvironment("Identity__LinkSigningKey", linkSigningKey);
WithStores(AddService<Projects.Closely_DataLocator>("datalocator"));
WithStores(AddService<Projects.Closely_ErasureExecutor>("erasureexecutor"));
AddService<Projects.Closely_Notification>("notification")
    .WithEnvironment("Smtp__Host", smtp.Property(EndpointProperty.Host))
    .WithEnvironment("Smtp__Port", smtp.Property(EndpointProperty.Port))
    .WaitFor(maildev);
// The DPO console's user `dpo` (role dpo): its password hash from
// `dotnet run --project services/Cases -- hash-password`. More users: Console__Users__<name>__PasswordHash / __Role.
var consoleDpoPasswordHash = builder.AddParameter("console-dpo-password-hash", secret: true);
AddService<Projects.Closely_Cases>("cases").WithExternalHttpEndpoints()
    .WithEnvironment("Console__Users__dpo__PasswordHash", consoleDpoPasswordHash)
    .WithEnvironment("Console__Users__dpo__Role", "dpo");

builder.Build().Run();

// A service starts once "<name>-migrations" (the same project run with the argument `migrate`, which
// applies its EF Core migrations and exits) has completed. Launch profiles are not used: the AppHost
// gives each service its HTTP endpoint and environment.
IResourceBuilder<ProjectResource> AddService<TProject>(string name)
    where TProject : IProjectMetadata, new()
{
    var migrations = Configure(builder.AddProject<TProject>($"{name}-migrations", launchProfileName: null))
        .WithArgs("migrate");
    var service = Configure(builder.AddProject<TProject>(name, launchProfileName: null))
        .WithHttpEndpoint()
        .WaitFor(messaging)
        .WaitForCompletion(migrations);
    migrations.WithParentRelationship(service);
    return service;
}

// Shared by a service and its migrations (`migrate` builds the whole service host, so it needs the
// same settings). Only ConnectionStrings__<name> is injected, not Aspire's split-out host/user/
// password variables; WithReferenceEnvironment must precede the WithReference calls it governs.
IResourceBuilder<ProjectResource> Configure(IResourceBuilder<ProjectResource> project) => project
    .WithReferenceEnvironment(ReferenceEnvironmentInjectionFlags.ConnectionString)
    .WithEnvironment("ASPNETCORE_ENVIRONMENT", builder.Environment.EnvironmentName)
    .WithEnvironment("Privacy__EncryptionKey", encryptionKey)
    .WithEnvironment("Privacy__BlindIndexKey", blindIndexKey)
    .WithReference(closelyDb).WaitFor(closelyDb)
    .WithReference(messaging);

void WithStores(IResourceBuilder<ProjectResource> service)
{
    foreach (var store in stores)
    {
        service.WithReference(store, connectionName: store.Resource.DatabaseName).WaitFor(store);
    }
}
