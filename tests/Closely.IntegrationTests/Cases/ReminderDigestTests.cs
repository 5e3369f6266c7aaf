using Closely.BuildingBlocks.Privacy;
using Closely.Cases;
using Closely.Cases.Deadlines;
using Closely.Cases.Saga;
using Closely.Contracts;
using Closely.IntegrationTests.Infrastructure;
using Closely.Notification.Persistence;
using Microsoft.Extensions.DependencyInjection;

namespace Closely.IntegrationTests.Cases;

/// <summary>The DPO's daily reminder digest: Cases and Notification on one database and virtual host, mail in maildev.</summary>
[Collection(PlatformServersCollection.Name)]
public sealed class ReminderDigestTests(PlatformServers servers) : IAsyncLifetime
{
    private readonly string _dpo = $"dpo-digest-{Guid.NewGuid():N}@closely.example";
    private Uri _vhost = null!;
    private ServiceHost<CasesOptions> _cases = null!;
    private ServiceHost<NotificationDbContext> _notification = null!;

    public async Task InitializeAsync()
    {
        var database = await PlatformDatabase.CreateAsync(servers, "digest");
        _vhost = await servers.CreateVirtualHostAsync("digest");
        _cases = await servers.StartCasesAsync(database, _vhost, options => options.Settings["Cases:DpoEmail"] = _dpo);
        _notification = await ServiceHost<NotificationDbContext>.StartAsync(servers, database, _vhost);
    }

    public async Task DisposeAsync()
    {
        await _notification.DisposeAsync();
        await _cases.DisposeAsync();
        await servers.DeleteVirtualHostAsync(_vhost);
    }

    [Fact]
    public async Task One_email_a_day_lists_the_open_cases_near_or_past_their_dates_and_leaves_out_the_rest()
    {
        var near = await ReceiveAsync(daysAgo: 28);
        var overdue = await ReceiveAsync(daysAgo: 40);
        var fresh = await ReceiveAsync(daysAgo: 0);
        var closed = await ReceiveAsync(daysAgo: 40);
        await _cases.Bus.Publish(new WithdrawRequest { CaseId = closed.Id, Actor = "dpo", Reason = "Withdrawn by phone." });
        await _cases.WaitForStateAsync(closed.Id, CaseStates.Withdrawn);

        var digest = _cases.Services.GetRequiredService<ReminderDigest>();
        Assert.Equal(2, await digest.SendAsync(CancellationToken.None));

        var mail = await MailDev.MailToAsync(_dpo, _ => true, "the digest");
        Assert.Contains("2 open cases", mail.Subject, StringComparison.Ordinal);
        var lines = mail.Text.ReplaceLineEndings("\n").Split('\n');
        Assert.Contains(lines, l => l.Contains(overdue.Reference, StringComparison.Ordinal) && l.Contains("OVERDUE", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.Contains(near.Reference, StringComparison.Ordinal) && !l.Contains("OVERDUE", StringComparison.Ordinal));
        Assert.DoesNotContain(fresh.Reference, mail.Text, StringComparison.Ordinal);
        Assert.DoesNotContain(closed.Reference, mail.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("example.com", mail.Text, StringComparison.Ordinal);
        // Soonest due first.
        Assert.True(mail.Text.IndexOf(overdue.Reference, StringComparison.Ordinal) < mail.Text.IndexOf(near.Reference, StringComparison.Ordinal));

        // Asked again the same day (a second instance, a restart): still one email.
        await digest.SendAsync(CancellationToken.None);
        var digestId = _cases.Sent<SendNotification>(n => n.Template == ReminderDigest.Template)[0].CaseId;
        await _notification.WaitForHandledAsync<SendNotification>(n => n.CaseId == digestId, count: 2);
        Assert.Single(await MailDev.MailsToAsync(_dpo));
    }

    private async Task<(Guid Id, string Reference)> ReceiveAsync(int daysAgo)
    {
        var id = Guid.NewGuid();
        var reference = "DSR-D-" + id.ToString("N")[..8].ToUpperInvariant();
        await _cases.Bus.Publish(new DsrReceived
        {
            CaseId = id,
            Reference = reference,
            Right = DataSubjectRight.Access,
            Channel = IntakeChannel.WebForm,
            ReceivedAt = DateTimeOffset.UtcNow.AddDays(-daysAgo),
            SealedRequesterEmail = servers.Seal(id, BusSeal.RequesterEmail, $"digest-{id:N}@example.com"),
        });
        await _cases.WaitForStateAsync(id, CaseStates.AwaitingVerification);
        return (id, reference);
    }
}
