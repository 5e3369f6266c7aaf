using Closely.Cases;
using Closely.Cases.Audit;
using Closely.Cases.Persistence;
using Closely.IntegrationTests.Infrastructure;
using MassTransit;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Closely.IntegrationTests.Cases;

/// <summary>
/// The Cases service in-process, with the audit endpoints mapped on a route group of the test's own
/// (<see cref="Prefix"/>): in the service they live in the console's authenticated group.
/// </summary>
public sealed class AuditHost : IAsyncDisposable
{
    public const string Prefix = "/audit-under-test";

    private readonly Factory _factory;

    private AuditHost(PlatformServers servers, string database, Uri messaging)
    {
        Servers = servers;
        Database = database;
        var settings = TestSettings.For(servers, database, messaging);
        settings["Cases:SweepInterval"] = "1.00:00:00";
        _factory = new Factory(settings);
    }

    public static async Task<AuditHost> StartAsync(PlatformServers servers, string database, Uri messaging)
    {
        var host = new AuditHost(servers, database, messaging);
        await TestSettings.WaitUntilHealthyAsync(host._factory);
        return host;
    }

    public PlatformServers Servers { get; }

    public string Database { get; }

    public IServiceProvider Services => _factory.Services;

    public IBus Bus => Services.GetRequiredService<IBus>();

    public HttpClient CreateClient() => _factory.CreateClient();

    public CasesDbContext NewDbContext() => PlatformDatabase.Cases(Database, Servers.Protector());

    public Task WaitUntilAsync(Guid caseId, Func<Closely.Cases.Saga.CaseState, bool> condition, string what) =>
        TestSettings.EventuallyAsync(async () =>
        {
            await using var db = NewDbContext();
            var saga = await db.Cases.AsNoTracking().SingleOrDefaultAsync(c => c.CorrelationId == caseId);
            return saga is not null && condition(saga);
        }, what);

    public Task WaitForStateAsync(Guid caseId, string state) =>
        WaitUntilAsync(caseId, c => c.CurrentState == state, $"case in state {state}");

    public ValueTask DisposeAsync() => _factory.DisposeAsync();

    private sealed class Factory(IReadOnlyDictionary<string, string?> settings) : WebApplicationFactory<CasesOptions>
    {
        protected override void ConfigureWebHost(IWebHostBuilder builder)
        {
            foreach (var (key, value) in settings)
            {
                builder.UseSetting(key, value);
            }

            builder.ConfigureTestServices(services => services.AddSingleton<IStartupFilter, AuditRoutes>());
        }
    }

    /// <summary>Routes the test's group ahead of the service's own pipeline; anything else falls through to it.</summary>
    private sealed class AuditRoutes : IStartupFilter
    {
        public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
        {
            app.UseRouting();
            app.UseEndpoints(endpoints => endpoints.MapGroup(Prefix).MapCaseAuditEndpoints());
            next(app);
        };
    }
}
