using Closely.Cases.Saga;
using Closely.Contracts;
using Closely.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace Closely.IntegrationTests.Cases;

[Collection(PlatformServersCollection.Name)]
public sealed class DeadlineSweeperTests(PlatformServers servers) : IAsyncLifetime
{
    private CasesHost _first = null!;
    private CasesHost _second = null!;
    private Uri _vhost = null!;

    public async Task InitializeAsync()
    {
        var database = await PlatformDatabase.CreateAsync(servers, "sweeper");
        _vhost = await servers.CreateVirtualHostAsync("sweeper");
        _first = await CasesHost.StartAsync(servers, database, _vhost);
        _second = await CasesHost.StartAsync(servers, database, _vhost);
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
        var due = await SeedCasesAsync(count: 250, dueIn: TimeSpan.FromMinutes(-1));
        var notYetDue = await SeedCasesAsync(count: 5, dueIn: TimeSpan.FromDays(1));

        var total = 0;
        for (var round = 0; round < 5; round++)
        {
            var counts = await Task.WhenAll(_first.Sweeper.SweepOnceAsync(default), _second.Sweeper.SweepOnceAsync(default));
            total += counts.Sum();
        }

        Assert.Equal(due.Count, total);
        await TestSettings.EventuallyAsync(() => Task.FromResult(fired.Count >= due.Count), "every deadline published");
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.Equal(due.Order(), fired.Select(f => f.CaseId).Order());
        Assert.All(fired, f => Assert.Equal(DeadlineKind.DueReminder, f.Kind));
        Assert.DoesNotContain(fired, f => notYetDue.Contains(f.CaseId));
    }

    [Fact]
    public async Task A_fired_reminder_reaches_the_saga_which_plans_the_next_deadline()
    {
        var caseId = (await SeedCasesAsync(count: 1, dueIn: TimeSpan.FromMinutes(-1))).Single();

        Assert.Equal(1, await _first.Sweeper.SweepOnceAsync(default));

        await TestSettings.EventuallyAsync(async () =>
        {
            await using var db = _first.NewDbContext();
            var saga = await db.Cases.AsNoTracking().SingleAsync(c => c.CorrelationId == caseId);
            return saga.DueReminderSent && saga.NextDeadlineKind == DeadlineKind.Overdue && saga.NextDeadlineAt == saga.DueAt;
        }, "the reminder recorded and the overdue escalation planned");
        Assert.Equal(0, await _first.Sweeper.SweepOnceAsync(default));
    }

    private async Task<List<Guid>> SeedCasesAsync(int count, TimeSpan dueIn)
    {
        var now = DateTimeOffset.UtcNow;
        var protector = servers.Protector();
        await using var db = _first.NewDbContext();
        var ids = new List<Guid>();
        for (var i = 0; i < count; i++)
        {
            var id = Guid.NewGuid();
            ids.Add(id);
            db.Cases.Add(new CaseState
            {
                CorrelationId = id,
                Version = 1,
                CurrentState = "AwaitingDpoAction",
                Reference = "DSR-" + id.ToString("N")[..10].ToUpperInvariant(),
                Right = DataSubjectRight.Access,
                Channel = IntakeChannel.Api,
                ReceivedAt = now.AddDays(-20),
                TargetAt = now.AddDays(3),
                DueAt = now.AddDays(10),
                RequesterEmail = $"subject{i}@example.com",
                RequesterEmailIndex = protector.EmailIndex($"subject{i}@example.com"),
                StepStartedAt = now.AddDays(-19),
                TargetReminderSent = true,
                NextDeadlineAt = now + dueIn,
                NextDeadlineKind = DeadlineKind.DueReminder,
            });
        }

        await db.SaveChangesAsync();
        return ids;
    }
}
