using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;

namespace Closely.AppHostTests;

/// <summary>
/// Development-only accounts (appsettings.Development.json: the console's viewer, the client API's
/// dev-client) exist only when the services run in Development; they run in the AppHost's environment.
/// Only services with state get the platform database and a migrations step; Cases gets the audit keys in
/// every environment. Each service connects as its own account (ADR 40). These tests read the model without starting it.
/// </summary>
public sealed class EnvironmentTests
{
    [Fact]
    public async Task Outside_Development_the_services_run_in_the_AppHosts_environment_and_the_console_user_comes_from_parameters()
    {
        var cases = await EnvironmentOfAsync("Staging", "cases");

        Assert.Equal("Staging", cases["ASPNETCORE_ENVIRONMENT"]);
        Assert.Equal("{console-dpo-password-hash.value}", cases["Console__Users__dpo__PasswordHash"]);
        // Cases refuses to start with a dpo user that has no second factor.
        Assert.Equal("{console-dpo-totp-secret.value}", cases["Console__Users__dpo__TotpSecret"]);
        Assert.Equal("Staging", (await EnvironmentOfAsync("Staging", "intake"))["ASPNETCORE_ENVIRONMENT"]);
    }

    [Fact]
    public async Task In_Development_the_services_run_in_Development_with_their_development_users()
    {
        var cases = await EnvironmentOfAsync("Development", "cases");

        Assert.Equal("Development", cases["ASPNETCORE_ENVIRONMENT"]);
        Assert.False(cases.ContainsKey("Console__Users__dpo__PasswordHash"));
        Assert.False(cases.ContainsKey("Console__Users__dpo__TotpSecret"));
    }

    [Theory]
    [InlineData("Development")]
    [InlineData("Staging")]
    public async Task Cases_keys_its_audit_chain_and_signs_its_anchors_with_secret_parameters_and_writes_them_beside_the_servers_data(string environment)
    {
        var dataDirectory = Path.Combine(Path.GetTempPath(), $"closely-apphost-{Guid.NewGuid():N}");

        var cases = await EnvironmentOfAsync(environment, "cases", $"--LocalServers:DataDirectory={dataDirectory}");

        Assert.Equal("{audit-chain-key.value}", cases["Audit__ChainKey"]);
        Assert.Equal("{audit-anchor-signing-key.value}", cases["Audit__AnchorSigningKey"]);
        Assert.Equal(Path.Combine(dataDirectory, "audit-anchors"), cases["Audit__AnchorDirectory"]);
        Assert.False((await EnvironmentOfAsync(environment, "intake")).ContainsKey("Audit__ChainKey"));
    }

    [Fact]
    public async Task DataLocator_keeps_its_packages_beside_the_servers_data_and_signs_download_links_with_the_secret_link_key()
    {
        var dataDirectory = Path.Combine(Path.GetTempPath(), $"closely-apphost-{Guid.NewGuid():N}");

        var dataLocator = await EnvironmentOfAsync("Development", "datalocator", $"--LocalServers:DataDirectory={dataDirectory}");

        Assert.Equal(Path.Combine(dataDirectory, "packages"), dataLocator["Packages__Directory"]);
        Assert.Equal("{identity-link-signing-key.value}", dataLocator["Packages__LinkSigningKey"]);
        Assert.Equal("{datalocator.bindings.http.url}", dataLocator["Packages__PublicBaseUrl"]);
        Assert.Equal("{intake.bindings.http.url}", dataLocator["Packages__PrivacyCentreUrl"]);
    }

    [Fact]
    public async Task DataLocator_and_ErasureExecutor_keep_no_state_so_they_have_no_migrations_step_and_no_platform_database()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.Closely_AppHost>(["--environment=Development"], timeout.Token);
        var migrations = builder.Resources.Where(r => r.Name.EndsWith("-migrations", StringComparison.Ordinal)).Select(r => r.Name).Order();

        Assert.Equal(["cases-migrations", "identity-migrations", "intake-migrations", "notification-migrations"], migrations);
        Assert.False((await EnvironmentOfAsync("Development", "datalocator")).ContainsKey("ConnectionStrings__closely"));
        Assert.False((await EnvironmentOfAsync("Development", "erasureexecutor")).ContainsKey("ConnectionStrings__closely"));
    }

    [Theory]
    [InlineData("intake", "intake")]
    [InlineData("identity", "identity")]
    [InlineData("cases", "cases")]
    [InlineData("notification", "notification")]
    public async Task Each_service_with_state_and_its_migrations_connect_as_the_services_own_role_and_broker_user(string service, string account)
    {
        foreach (var resource in new[] { service, service + "-migrations" })
        {
            var environment = await EnvironmentOfAsync("Development", resource);

            Assert.Contains($";Username=closely_{account};Password={{postgres-{account}-password.value}};Database=closely", environment["ConnectionStrings__closely"], StringComparison.Ordinal);
            Assert.StartsWith($"amqp://closely_{account}:{{messaging-{account}-password.value}}@", environment["ConnectionStrings__messaging"], StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("datalocator", "locator")]
    [InlineData("erasureexecutor", "executor")]
    public async Task DataLocator_and_ErasureExecutor_reach_every_store_as_their_own_store_role(string service, string account)
    {
        var environment = await EnvironmentOfAsync("Development", service);

        foreach (var store in new[] { "store_hetzner_fsn1_crm", "store_hetzner_hel1_outreach", "store_aws_euc1_analytics" })
        {
            Assert.Contains($";Username=closely_{account};Password={{postgres-{account}-password.value}};Database={store}", environment[$"ConnectionStrings__{store}"], StringComparison.Ordinal);
        }

        Assert.StartsWith($"amqp://closely_{account}:{{messaging-{account}-password.value}}@", environment["ConnectionStrings__messaging"], StringComparison.Ordinal);
    }

    private static async Task<Dictionary<string, string>> EnvironmentOfAsync(string environment, string resource, params string[] args)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.Closely_AppHost>([$"--environment={environment}", .. args], timeout.Token);
        var project = (ProjectResource)builder.Resources.Single(r => r.Name == resource);
        await using var app = await builder.BuildAsync(timeout.Token);
        // As the publish manifest would show it: parameters and endpoints as expressions, nothing resolved.
        var manifest = new DistributedApplicationExecutionContext(
            new DistributedApplicationExecutionContextOptions(DistributedApplicationOperation.Publish) { Services = app.Services });
        var configuration = await ExecutionConfigurationBuilder.Create(project)
            .WithEnvironmentVariablesConfig()
            .BuildAsync(manifest, cancellationToken: timeout.Token);
        return configuration.EnvironmentVariables.ToDictionary();
    }
}
