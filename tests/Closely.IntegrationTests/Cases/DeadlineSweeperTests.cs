using Closely.Cases;
using Closely.Cases.Saga;
using Closely.Contracts;
using Closely.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Closely.IntegrationTests.Cases;

[Collection(PlatformServersCollection.Name)]
public sealed class DeadlineSweeperTests(PlatformServers servers) : IAsyncLifetime
{
    private ServiceHost<CasesOptions> _first = null!;
    private ServiceHost<CasesOptions> _second = null!;
    private Uri _vhost = null!;

    public async Task InitializeAsync()
    {
        var database = await PlatformDatabase.CreateAsync(servers, "sweeper");
        _vhost = await servers.CreateVirtualHostAsync("sweeper");
        _first = await servers.StartCasesAsync(database, _vhost);
        _second = await servers.StartCasesAsync(database, _vhost);
    }

    public async Task DisposeAsync()
    {
        await _first.DisposeAsync();
        await _second.DisposeAsync();
        await servers.DeleteVirtualHostAsync(_vhost);
    }

    [Fact]
    public async Task Two_sweepers_fire_each_due_deadline_exactly_once()
    {
        var fired = await _first.RecordAsync<DeadlineReached>();
        var due = await SeedCasesAsync(_first, count: 250, dueIn: TimeSpan.FromMinutes(-1));
        var notYetDue = await SeedCasesAsync(_first, count: 5, dueIn: TimeSpan.FromDays(1));

        var total = 0;
        for (var round = 0; round < 5; round++)
        {
            var counts = await Task.WhenAll(_first.Sweeper().SweepOnceAsync(default), _second.Sweeper().SweepOnceAsync(default));
            total += counts.Sum();
        }

        Assert.Equal(due.Count, total);
        // Every publication is over once the sweeps returned: nothing more is on its way to the recorder.
        Assert.Equal(due.Order(), _first.Published<DeadlineReached>().Concat(_second.Published<DeadlineReached>()).Select(f => f.CaseId).Order());
        await TestSettings.EventuallyAsync(() => Task.FromResult(fired.Count >= due.Count), "every deadline published");
        Assert.Equal(due.Order(), fired.Select(f => f.CaseId).Order());
        Assert.All(fired, f => Assert.Equal(DeadlineKind.DueReminder, f.Kind));
        Assert.DoesNotContain(fired, f => notYetDue.Contains(f.CaseId));
    }

    [Fact]
    public async Task A_fired_reminder_reaches_the_saga_which_plans_the_next_deadline()
    {
        var caseId = (await SeedCasesAsync(_first, count: 1, dueIn: TimeSpan.FromMinutes(-1))).Single();

        Assert.Equal(1, await _first.Sweeper().SweepOnceAsync(default));

        await _first.WaitUntilAsync(
            caseId,
            saga => saga.DueReminderSent && saga.NextDeadlineKind == DeadlineKind.Overdue && saga.NextDeadlineAt == saga.DueAt,
            "the reminder recorded and the overdue escalation planned");
        Assert.Equal(0, await _first.Sweeper().SweepOnceAsync(default));
    }

    [Fact]
    public async Task A_deadline_whose_handling_ends_in_the_error_queue_leaves_the_case_a_deadline_that_fires_again()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds()));
        await using var cases = await ServiceHost<CasesOptions>.StartAsync(servers, "deadline-retry", options =>
        {
            options.Clock = clock;
            options.Settings["Cases:SweepInterval"] = "1.00:00:00";
        });
        var retryInterval = cases.Services.GetRequiredService<IOptions<CasesOptions>>().Value.DeadlineRetryInterval;
        // The saga cannot handle any message of this case: its state is none of the machine's.
        var caseId = (await SeedCasesAsync(cases, count: 1, dueIn: TimeSpan.FromMinutes(-1), now: clock.GetUtcNow(), state: "NoSuchState")).Single();

        Assert.Equal(1, await cases.Sweeper().SweepOnceAsync(default));
        await cases.WaitForHandledAsync<DeadlineReached>(m => m.CaseId == caseId, timeout: TimeSpan.FromSeconds(90));
        await TestSettings.EventuallyAsync(
            async () => await cases.MessagesInQueueAsync("case-saga_error") == 1, "the DeadlineReached in case-saga_error");

        var stranded = await cases.CaseAsync(caseId);
        Assert.Equal((clock.GetUtcNow() + retryInterval, DeadlineKind.DueReminder), (stranded!.NextDeadlineAt, stranded.NextDeadlineKind));
        Assert.Equal(0, await cases.Sweeper().SweepOnceAsync(default));

        clock.Advance(retryInterval);
        Assert.Equal(1, await cases.Sweeper().SweepOnceAsync(default));
        Assert.Equal(2, cases.Published<DeadlineReached>(m => m.CaseId == caseId).Count);
    }

    private async Task<List<Guid>> SeedCasesAsync(
        ServiceHost<CasesOptions> host, int count, TimeSpan dueIn, DateTimeOffset? now = null, string state = CaseStates.AwaitingDpoAction)
    {
        var at = now ?? DateTimeOffset.UtcNow;
        var protector = servers.Protector();
        await using var db = host.NewDbContext();
        var ids = new List<Guid>();
        for (var i = 0; i < count; i++)
        {
            var id = Guid.NewGuid();
            ids.Add(id);
            db.Cases.Add(new CaseState
            {
                CorrelationId = id,
                Version = 1,
                CurrentState = state,
                Reference = "DSR-" + id.ToString("N")[..10].ToUpperInvariant(),
                Right = DataSubjectRight.Access,
                Channel = IntakeChannel.Api,
                ReceivedAt = at.AddDays(-20),
                TargetAt = at.AddDays(3),
                DueAt = at.AddDays(10),
                RequesterEmail = $"subject{i}@example.com",
                RequesterEmailIndex = protector.EmailIndex($"subject{i}@example.com"),
                StepStartedAt = at.AddDays(-19),
                TargetReminderSent = true,
                NextDeadlineAt = at + dueIn,
                NextDeadlineKind = DeadlineKind.DueReminder,
            });
        }

        await db.SaveChangesAsync();
        return ids;
    }
}
