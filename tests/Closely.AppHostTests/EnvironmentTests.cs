using Aspire.Hosting;
using Aspire.Hosting.ApplicationModel;
using Aspire.Hosting.Testing;

namespace Closely.AppHostTests;

/// <summary>
/// Development-only accounts (appsettings.Development.json: the console's viewer, the client API's
/// dev-client) exist only when the services run in Development; they run in the AppHost's environment.
/// Only services with state get the platform database and a migrations step. These tests read the model
/// without starting it.
/// </summary>
public sealed class EnvironmentTests
{
    [Fact]
    public async Task Outside_Development_the_services_run_in_the_AppHosts_environment_and_the_console_user_comes_from_a_parameter()
    {
        var cases = await EnvironmentOfAsync("Staging", "cases");

        Assert.Equal("Staging", cases["ASPNETCORE_ENVIRONMENT"]);
        Assert.Equal("{console-dpo-password-hash.value}", cases["Console__Users__dpo__PasswordHash"]);
        Assert.Equal("Staging", (await EnvironmentOfAsync("Staging", "intake"))["ASPNETCORE_ENVIRONMENT"]);
    }

    [Fact]
    public async Task In_Development_the_services_run_in_Development_with_their_development_users()
    {
        var cases = await EnvironmentOfAsync("Development", "cases");

        Assert.Equal("Development", cases["ASPNETCORE_ENVIRONMENT"]);
        Assert.False(cases.ContainsKey("Console__Users__dpo__PasswordHash"));
    }

    [Fact]
    public async Task DataLocator_keeps_no_state_so_it_has_no_migrations_step_and_no_platform_database()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.Closely_AppHost>(["--environment=Development"], timeout.Token);
        var migrations = builder.Resources.Where(r => r.Name.EndsWith("-migrations", StringComparison.Ordinal)).Select(r => r.Name).Order();

        Assert.Equal(["cases-migrations", "erasureexecutor-migrations", "identity-migrations", "intake-migrations", "notification-migrations"], migrations);
        Assert.False((await EnvironmentOfAsync("Development", "datalocator")).ContainsKey("ConnectionStrings__closely"));
        Assert.True((await EnvironmentOfAsync("Development", "erasureexecutor")).ContainsKey("ConnectionStrings__closely"));
    }

    private static async Task<Dictionary<string, string>> EnvironmentOfAsync(string environment, string resource)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
        var builder = await DistributedApplicationTestingBuilder.CreateAsync<Projects.Closely_AppHost>([$"--environment={environment}"], timeout.Token);
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
