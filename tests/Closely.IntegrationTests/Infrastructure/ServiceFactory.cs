using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Closely.IntegrationTests.Infrastructure;

/// <summary>
/// Runs one service in-process with its real wiring, pointed at the test's database and virtual host.
/// <typeparamref name="TMarker"/> is any public type of the service's assembly. With
/// <paramref name="logs"/>, every log line the service writes is captured as well; with
/// <paramref name="testServices"/>, services are replaced after the service's own (a fake clock).
/// </summary>
public sealed class ServiceFactory<TMarker>(
    IReadOnlyDictionary<string, string?> settings, CapturedLogs? logs = null, Action<IServiceCollection>? testServices = null)
    : WebApplicationFactory<TMarker>
    where TMarker : class
{
    /// <summary>
    /// Serves the service on a real loopback port (for a browser) instead of the in-memory test server;
    /// returns its base address. Call before anything else uses the factory.
    /// </summary>
    public Uri ServeOnLoopback()
    {
        UseKestrel(options => options.Listen(System.Net.IPAddress.Loopback, 0));
        StartServer();
        var server = Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>();
        var address = server.Features.Get<Microsoft.AspNetCore.Hosting.Server.Features.IServerAddressesFeature>()!.Addresses.First();
        return new Uri(address);
    }

    public override async ValueTask DisposeAsync()
    {
        await base.DisposeAsync();
        // Idle pooled connections stay open until pruned minutes later; a run of many in-process
        // services would use up the server's connection slots.
        Npgsql.NpgsqlConnection.ClearAllPools();
    }

    protected override void ConfigureWebHost(IWebHostBuilder builder)
    {
        ArgumentNullException.ThrowIfNull(builder);
        foreach (var (key, value) in settings)
        {
            builder.UseSetting(key, value);
        }

        if (testServices is not null)
        {
            builder.ConfigureTestServices(testServices);
        }

        if (logs is not null)
        {
            builder.ConfigureServices(services => services.AddLogging(logging =>
            {
                logging.SetMinimumLevel(LogLevel.Debug);
                logging.AddProvider(logs);
            }));
        }
    }
}
