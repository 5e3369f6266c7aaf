using Closely.AppHost;
using Closely.AppHost.LocalServers;

var builder = DistributedApplication.CreateBuilder(args);

// The servers run as executables from the machine's packages (no container runtime needed; see
// LocalServerExtensions and docs/adr/0014). Their fixed ports differ from run.sh's and test.sh's servers.
var postgres = builder.AddLocalPostgres("postgres", port: 56432);
var messaging = builder.AddLocalRabbitMQ("messaging", amqpPort: 56672, managementPort: 56673);
var maildev = builder.AddLocalMailDev("maildev", smtpPort: 52025, webPort: 52080);
var mailbox = builder.AddLocalDovecot("mailbox", imapPort: 52143);

// 32 random bytes in base64 each (openssl rand -base64 32); run.sh passes its own from .local/secrets.env.
var encryptionKey = builder.AddParameter("privacy-encryption-key", secret: true);
var blindIndexKey = builder.AddParameter("privacy-blind-index-key", secret: true);
var linkSigningKey = builder.AddParameter("identity-link-signing-key", secret: true);
// The audit chain's HMAC key (32 random bytes in base64) and the anchors' ECDSA P-256 signing key (base64 of PKCS#8).
var auditChainKey = builder.AddParameter("audit-chain-key", secret: true);
var auditAnchorSigningKey = builder.AddParameter("audit-anchor-signing-key", secret: true);

// The three sample stores (Hetzner DE, Hetzner FI, AWS) as databases on the same server, created and
// seeded by tools/Closely.SampleStores (SampleStores:Command `seed` leaves seeded stores alone, `reset`
// seeds them again); DataLocator and ErasureExecutor start after it has finished.
string[] stores = ["store_hetzner_fsn1_crm", "store_hetzner_hel1_outreach", "store_aws_euc1_analytics"];
var sampleStores = builder.AddProject<Projects.Closely_SampleStores>("sample-stores")
    .WithArgs(builder.Configuration["SampleStores:Command"] ?? "seed", "--people", builder.Configuration["SampleStores:People"] ?? "100000")
    .WithEnvironment("CLOSELY_STORES_ADMIN", postgres)
    .WaitFor(postgres);

var intake = AddService<Projects.Closely_Intake>("intake", 5100).WithExternalHttpEndpoints()
    .WithPublicBaseUrl("Intake__PublicBaseUrl")
    .WithMailbox(mailbox);
AddService<Projects.Closely_Cases>("cases", 5200).WithExternalHttpEndpoints()
    .WithAuditKeys(auditChainKey, auditAnchorSigningKey, Path.Combine(builder.DataDirectory(), "audit-anchors"))
    .WithConsoleUsers(builder);
// Identity serves the verification links that requesters open.
AddService<Projects.Closely_Identity>("identity", 5300).WithExternalHttpEndpoints()
    .WithPublicBaseUrl("Identity__PublicBaseUrl")
    .WithEnvironment("Identity__LinkSigningKey", linkSigningKey);
// DataLocator finds the subject, builds the access and portability packages and serves their download pages.
WithStores(AddStatelessService<Projects.Closely_DataLocator>("datalocator", 5400).WithExternalHttpEndpoints()
    .WithPackages(linkSigningKey, Path.Combine(builder.DataDirectory(), "packages"), intake));
WithStores(AddStatelessService<Projects.Closely_ErasureExecutor>("erasureexecutor", 5500));
AddService<Projects.Closely_Notification>("notification", 5600)
    .WithEnvironment("Smtp__Host", maildev.Resource.Smtp.Property(EndpointProperty.IPV4Host))
    .WithEnvironment("Smtp__Port", maildev.Resource.Smtp.Property(EndpointProperty.Port))
    .WaitFor(maildev);

builder.Build().Run();

// A service with state in the platform database starts once "<name>-migrations" (the same project run
// with the argument `migrate`, which applies its EF Core migrations and exits) has completed.
IResourceBuilder<ProjectResource> AddService<TProject>(string name, int port)
    where TProject : IProjectMetadata, new()
{
    var migrations = WithPlatformDatabase(Configure(builder.AddProject<TProject>($"{name}-migrations", launchProfileName: null)))
        .WithArgs("migrate");
    var service = WithPlatformDatabase(AddStatelessService<TProject>(name, port))
        .WaitForCompletion(migrations);
    migrations.WithParentRelationship(service);
    return service;
}

// A service on the bus, healthy when its /health says so; DataLocator and ErasureExecutor (whose state is
// in the stores) as they are, the others with their database. Launch profiles are not used: the AppHost gives each service its HTTP endpoint and environment.
IResourceBuilder<ProjectResource> AddStatelessService<TProject>(string name, int port)
    where TProject : IProjectMetadata, new() =>
    Configure(builder.AddProject<TProject>(name, launchProfileName: null))
        .WithHttpEndpoint(port: port)
        .WithHttpHealthCheck("/health")
        .WaitFor(messaging);

// Shared by a service and its migrations (`migrate` builds the whole service host, so it needs the
// same settings). The services' own environment follows the AppHost's: development-only accounts
// (appsettings.Development.json) exist only when the AppHost runs in Development.
IResourceBuilder<ProjectResource> Configure(IResourceBuilder<ProjectResource> project) => project
    .WithEnvironment("ASPNETCORE_ENVIRONMENT", builder.Environment.EnvironmentName)
    .WithEnvironment("Privacy__EncryptionKey", encryptionKey)
    .WithEnvironment("Privacy__BlindIndexKey", blindIndexKey)
    .WithEnvironment("ConnectionStrings__messaging", messaging)
    // The error queues' retention policy is put through the management API (ADR 38).
    .WithEnvironment("Messaging__ManagementUrl", messaging.GetEndpoint("management"));

IResourceBuilder<ProjectResource> WithPlatformDatabase(IResourceBuilder<ProjectResource> project) => project
    .WithEnvironment("ConnectionStrings__closely", postgres.Resource.Database("closely"))
    .WaitFor(postgres);

void WithStores(IResourceBuilder<ProjectResource> service)
{
    foreach (var store in stores)
    {
        service.WithEnvironment($"ConnectionStrings__{store}", postgres.Resource.Database(store));
    }

    service.WaitForCompletion(sampleStores);
}
