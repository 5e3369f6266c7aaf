using System.Security.Cryptography;
using Closely.BuildingBlocks.Deadlines;
using Closely.BuildingBlocks.Privacy;
using Closely.Cases;
using Closely.Cases.Deadlines;
using Closely.Cases.Saga;
using Closely.Contracts;
using MassTransit;
using MassTransit.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Closely.UnitTests.Cases;

/// <summary>The case state machine on MassTransit's in-memory test harness, with a fake clock.</summary>
public sealed class CaseSagaHarness : IAsyncDisposable
{
    public static readonly DateTimeOffset Now = new(2026, 11, 2, 9, 0, 0, TimeSpan.Zero);

    private readonly ServiceProvider _provider;

    private CaseSagaHarness(ServiceProvider provider, CasesOptions options)
    {
        _provider = provider;
        Options = options;
        Harness = provider.GetRequiredService<ITestHarness>();
        Saga = Harness.GetSagaStateMachineHarness<CaseStateMachine, CaseState>();
        Machine = provider.GetRequiredService<CaseStateMachine>();
        Clock = provider.GetRequiredService<FakeTimeProvider>();
        Protector = provider.GetRequiredService<PersonalDataProtector>();
    }

    public ITestHarness Harness { get; }

    public ISagaStateMachineTestHarness<CaseStateMachine, CaseState> Saga { get; }

    public CaseStateMachine Machine { get; }

    public FakeTimeProvider Clock { get; }

    public CasesOptions Options { get; }

    /// <summary>The harness's keys: what seals and opens a case's corrections (ADR 29).</summary>
    public PersonalDataProtector Protector { get; }

    public static async Task<CaseSagaHarness> StartAsync(Action<CasesOptions>? configure = null)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Privacy:EncryptionKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
            ["Privacy:BlindIndexKey"] = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)),
        }).Build();

        var services = new ServiceCollection();
        var clock = new FakeTimeProvider(Now);
        services.AddSingleton(clock);
        services.AddSingleton<TimeProvider>(clock);
        services.AddStatutoryDeadlines(configuration);
        services.AddOptions<PrivacyOptions>().Bind(configuration.GetSection(PrivacyOptions.SectionName));
        services.AddSingleton<PersonalDataProtector>();
        services.AddSingleton<CaseDeadlinePlanner>();
        var options = new CasesOptions
        {
            DpoEmail = "dpo@closely.example",
            StepTimeout = TimeSpan.FromMinutes(10),
            StoreActionStepTimeout = TimeSpan.FromMinutes(2),
            FailedStoreRetryInterval = TimeSpan.FromHours(1),
            TargetReminderLead = TimeSpan.FromDays(2),
            DueReminderLead = TimeSpan.FromDays(3),
        };
        configure?.Invoke(options);
        services.AddSingleton(Microsoft.Extensions.Options.Options.Create(options));
        services.AddMassTransitTestHarness(bus => bus.AddSagaStateMachine<CaseStateMachine, CaseState>().InMemoryRepository());

        var provider = services.BuildServiceProvider(validateScopes: true);
        var started = new CaseSagaHarness(provider, options);
        await started.Harness.Start();
        return started;
    }

    /// <summary>Publishes a message and returns once the saga has consumed it.</summary>
    public async Task PublishAsync<T>(T message)
        where T : class
    {
        var messageId = NewId.NextGuid();
        await Harness.Bus.Publish(message, context => context.MessageId = messageId);
        // The harness's own Any() gives up once the bus has been idle; poll instead.
        var deadline = DateTime.UtcNow.AddSeconds(10);
        while (!Saga.Consumed.Select<T>(m => m.Context.MessageId == messageId).Any())
        {
            Assert.True(DateTime.UtcNow < deadline, $"the saga did not consume {typeof(T).Name}");
            await Task.Delay(20);
        }
    }

    public async Task<Guid> ReceiveAsync(DataSubjectRight right = DataSubjectRight.Erasure)
    {
        var caseId = Guid.NewGuid();
        await PublishAsync(Received(caseId, right));
        await WaitForStateAsync(caseId, Machine.AwaitingVerification);
        return caseId;
    }

    /// <summary><paramref name="value"/> sealed for the case's <paramref name="field"/>, as a sender puts it on the bus (ADR 38).</summary>
    public byte[] Seal(Guid caseId, string field, string value) => BusSeal.Seal(Protector, caseId, field, value);

    public DsrReceived Received(Guid caseId, DataSubjectRight right = DataSubjectRight.Erasure) => new()
    {
        CaseId = caseId,
        Reference = "DSR-" + caseId.ToString("N")[..8].ToUpperInvariant(),
        Right = right,
        Channel = IntakeChannel.Api,
        ReceivedAt = Now,
        SealedRequesterEmail = Seal(caseId, BusSeal.RequesterEmail, "Jane.Doe@Example.com"),
    };

    public async Task<CaseState> WaitForStateAsync(Guid caseId, State state)
    {
        var found = await Saga.Exists(caseId, _ => state, TimeSpan.FromSeconds(5));
        Assert.True(found.HasValue, $"case {caseId} did not reach {state.Name}");
        return Saga.Sagas.Contains(caseId);
    }

    public List<T> Sent<T>(Guid caseId, Func<T, bool>? filter = null)
        where T : class =>
        Harness.Sent.Select<T>()
            .Select(m => m.Context.Message)
            .Where(m => CaseIdOf(m) == caseId && (filter is null || filter(m)))
            .ToList();

    public async ValueTask DisposeAsync()
    {
        await Harness.Stop();
        await _provider.DisposeAsync();
    }

    private static Guid CaseIdOf(object message) => message switch
    {
        VerifyIdentity m => m.CaseId,
        LocateSubjectData m => m.CaseId,
        ExecuteStoreAction m => m.CaseId,
        ExportStoreData m => m.CaseId,
        AssembleDataPackage m => m.CaseId,
        SendNotification m => m.CaseId,
        _ => Guid.Empty,
    };
}
