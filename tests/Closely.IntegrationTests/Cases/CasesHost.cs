using System.Collections.Concurrent;
using Closely.Cases;
using Closely.Cases.Deadlines;
using Closely.Cases.Persistence;
using Closely.IntegrationTests.Infrastructure;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;

namespace Closely.IntegrationTests.Cases;

/// <summary>The Cases service in-process on a real database and a real RabbitMQ virtual host.</summary>
public sealed class CasesHost : IAsyncDisposable
{
    private readonly ServiceFactory<CasesOptions> _factory;
    private readonly BusRecorders _recorders;

    private CasesHost(PlatformServers servers, string database, Uri messaging)
    {
        ArgumentNullException.ThrowIfNull(servers);
        Servers = servers;
        Database = database;
        var settings = TestSettings.For(servers, database, messaging);
        // Tests sweep when they choose to.
        settings["Cases:SweepInterval"] = "1.00:00:00";
        _factory = new ServiceFactory<CasesOptions>(settings);
        _recorders = new BusRecorders(_factory.Services);
    }

    /// <summary>Starts the service and returns once it is ready: its queues are bound, so nothing published is lost.</summary>
    public static async Task<CasesHost> StartAsync(PlatformServers servers, string database, Uri messaging)
    {
        var host = new CasesHost(servers, database, messaging);
        await TestSettings.WaitUntilHealthyAsync(host._factory);
        return host;
    }

    public PlatformServers Servers { get; }

    public string Database { get; }

    public IServiceProvider Services => _factory.Services;

    public IBus Bus => Services.GetRequiredService<IBus>();

    public DeadlineSweeper Sweeper => Services.GetRequiredService<DeadlineSweeper>();

    public CasesDbContext NewDbContext() => PlatformDatabase.Cases(Database, Servers.Protector());

    /// <summary>Binds a queue of the test's own to <typeparamref name="T"/>, as a downstream system would, and records what arrives.</summary>
    public Task<ConcurrentBag<T>> RecordAsync<T>(string? queue = null)
        where T : class => _recorders.RecordAsync<T>(queue);

    public async Task<string?> StateOfAsync(Guid caseId)
    {
        await using var db = NewDbContext();
        return await db.Cases.Where(c => c.CorrelationId == caseId).Select(c => c.CurrentState).SingleOrDefaultAsync();
    }

    public Task WaitForStateAsync(Guid caseId, string state) =>
        TestSettings.EventuallyAsync(async () => await StateOfAsync(caseId) == state, $"case in state {state}");

    public async ValueTask DisposeAsync()
    {
        await _recorders.DisposeAsync();
        await _factory.DisposeAsync();
    }
}
