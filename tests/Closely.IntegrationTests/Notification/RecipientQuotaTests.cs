using System.Collections.Concurrent;
using Closely.BuildingBlocks.Privacy;
using Closely.Contracts;
using Closely.IntegrationTests.Infrastructure;
using Closely.Notification.Persistence;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Time.Testing;

namespace Closely.IntegrationTests.Notification;

/// <summary>
/// Notification with a daily quota of <see cref="Limit"/> request-driven emails per recipient (ADR 42), on a fake clock
/// at noon UTC so that the test's day cannot end half-way through.
/// </summary>
[Collection(PlatformServersCollection.Name)]
public sealed class RecipientQuotaTests(PlatformServers servers) : IAsyncLifetime
{
    private const int Limit = 3;

    private readonly FakeTimeProvider _clock = new(new DateTimeOffset(DateTime.UtcNow.Date.AddHours(12), TimeSpan.Zero));
    private ServiceHost<NotificationDbContext> _host = null!;
    private ConcurrentBag<NotificationSent> _reports = null!;

    public async Task InitializeAsync()
    {
        _host = await ServiceHost<NotificationDbContext>.StartAsync(servers, "notify-quota", options =>
        {
            options.Clock = _clock;
            options.Settings["Notification:DailyLimitPerRecipient"] = Limit.ToString(System.Globalization.CultureInfo.InvariantCulture);
        });
        _reports = await _host.RecordAsync<NotificationSent>();
    }

    public Task DisposeAsync() => _host.DisposeAsync().AsTask();

    [Fact]
    public async Task Request_driven_mails_beyond_the_daily_limit_are_suppressed_for_that_address_only_and_statutory_notices_still_go()
    {
        var victim = $"victim-{Guid.NewGuid():N}@example.com";
        var bystander = $"bystander-{Guid.NewGuid():N}@example.com";
        // Limit + 1 requests in the victim's name, each its own case (as the form, the API and the mailbox make them),
        // the address spelt differently each time: the quota counts the normalised address.
        string[] spellings = [victim, victim.ToUpperInvariant(), $"  {victim} ", victim];
        string[] templates = ["acknowledgement", "verify-identity", "acknowledgement-unclear", "acknowledgement"];
        var requests = spellings.Zip(templates, (to, template) => Command(template, to)).ToList();
        foreach (var request in requests)
        {
            await SendAsync(request);
            await ReportedAsync(request);
        }

        var statutory = Command("erasure-completed", victim);
        var other = Command("acknowledgement", bystander);
        await SendAsync(statutory);
        await SendAsync(other);
        await ReportedAsync(statutory);
        await ReportedAsync(other);

        var mails = await MailDev.MailsToAsync(victim);
        Assert.Equal(Limit + 1, mails.Count);
        Assert.Single(mails, m => m.Subject.Contains(statutory.Values(servers.Protector())["reference"], StringComparison.Ordinal));
        Assert.DoesNotContain(mails, m => m.Subject.Contains(requests[^1].Values(servers.Protector())["reference"], StringComparison.Ordinal));
        Assert.Single(await MailDev.MailsToAsync(bystander));
        Assert.Equal([false, false, false, true, false, false], requests.Append(statutory).Append(other).Select(c => Report(c).Suppressed));

        // A duplicate of the suppressed command gets the recorded answer again and sends nothing.
        var suppressed = Report(requests[^1]);
        await SendAsync(requests[^1]);
        await TestSettings.EventuallyAsync(() => Task.FromResult(_reports.Count(r => r.CaseId == suppressed.CaseId) == 2), "the suppressed notice reported again");
        Assert.Single(_reports.Where(r => r.CaseId == suppressed.CaseId).Select(r => (r.SentAt, r.Suppressed)).Distinct());
        Assert.Equal(Limit + 1, (await MailDev.MailsToAsync(victim)).Count);

        await using var db = PlatformDatabase.Notification(_host.Database);
        var delivery = await db.Deliveries.SingleAsync(d => d.CaseId == suppressed.CaseId);
        Assert.Equal((0, null, suppressed.SentAt), (delivery.Attempts, delivery.SentAt, delivery.SuppressedAt));
        // Counted under the keyed hash of the normalised address; the address itself is stored nowhere in the schema.
        var counts = await db.RecipientDays.ToListAsync();
        var protector = servers.Protector();
        Assert.Equal(Limit, Assert.Single(counts, c => c.RecipientHash.SequenceEqual(protector.EmailIndex(victim))).Mails);
        Assert.Equal(1, Assert.Single(counts, c => c.RecipientHash.SequenceEqual(protector.EmailIndex(bystander))).Mails);
        Assert.Equal(0, await db.Database.SqlQuery<int>($"""
            SELECT count(*)::int AS "Value" FROM notification.deliveries d, notification.recipient_days r
            WHERE position({victim} in lower(d::text || r::text)) > 0
            """).SingleAsync());
    }

    [Fact]
    public async Task The_next_UTC_day_the_address_may_be_mailed_again_and_earlier_days_counts_are_deleted()
    {
        var address = $"next-day-{Guid.NewGuid():N}@example.com";
        var today = Enumerable.Range(0, Limit + 1).Select(_ => Command("acknowledgement", address)).ToList();
        foreach (var request in today)
        {
            await SendAsync(request);
            await ReportedAsync(request);
        }

        Assert.True(Report(today[^1]).Suppressed);
        _clock.Advance(TimeSpan.FromDays(1));
        var tomorrow = Command("verify-identity", address);
        await SendAsync(tomorrow);
        await ReportedAsync(tomorrow);

        Assert.False(Report(tomorrow).Suppressed);
        Assert.Equal(Limit + 1, (await MailDev.MailsToAsync(address)).Count);
        await using var db = PlatformDatabase.Notification(_host.Database);
        var day = DateOnly.FromDateTime(_clock.GetUtcNow().UtcDateTime);
        Assert.All(await db.RecipientDays.ToListAsync(), r => Assert.Equal(day, r.Day));
    }

    private NotificationSent Report(SendNotification command) => Assert.Single(_reports, r => r.CaseId == command.CaseId);

    private Task ReportedAsync(SendNotification command) =>
        TestSettings.EventuallyAsync(() => Task.FromResult(_reports.Any(r => r.CaseId == command.CaseId)), $"the report of {command.Template}");

    private Task SendAsync(SendNotification command) => _host.SendAsync(CommandQueues.SendNotification, command);

    private SendNotification Command(string template, string recipient)
    {
        var caseId = Guid.NewGuid();
        var reference = "DSR-" + caseId.ToString("N")[..10].ToUpperInvariant();
        return new SendNotification
        {
            CaseId = caseId,
            NotificationKey = template == "verify-identity" ? VerifyIdentity.EmailKeyPrefix + Guid.NewGuid().ToString("N") : template,
            Template = template,
            SealedRecipientEmail = servers.Seal(caseId, BusSeal.RecipientEmail, recipient),
            SealedValues = BusSeal.SealJson(servers.Protector(), caseId, BusSeal.NotificationValues, new Dictionary<string, string>
            {
                ["reference"] = reference,
                ["right"] = "Erasure",
                ["receivedAt"] = "2026-11-01",
                ["dueAt"] = "2026-12-01",
                ["targetAt"] = "2026-11-24",
                ["statusUrl"] = $"http://127.0.0.1:5100/status?case={caseId}",
                ["link"] = $"http://127.0.0.1:5200/verify?token={caseId:N}",
                ["expiresAt"] = "2026-12-04T12:00:00Z",
            }),
        };
    }
}
