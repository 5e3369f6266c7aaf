using Closely.BuildingBlocks.Privacy;
using Closely.Cases;
using Closely.Cases.Saga;
using Closely.Contracts;
using Closely.Identity.Persistence;
using Closely.IntegrationTests.Infrastructure;
using Closely.Notification.Persistence;
using Microsoft.Extensions.Time.Testing;

namespace Closely.IntegrationTests.Cases;

/// <summary>
/// A requester who never confirms, with Cases, Identity and Notification on one clock that the test moves on: the
/// requester gets at most <c>Cases:MaxVerificationEmails</c> links, and once <c>Cases:VerificationPeriod</c> has
/// passed the case closes as not verified with a notice saying how to ask again.
/// </summary>
[Collection(PlatformServersCollection.Name)]
public sealed class VerificationPeriodTests(PlatformServers servers) : IAsyncLifetime
{
    // Identity's default link lifetime: a re-sent VerifyIdentity mails a new link only once the last one expired.
    private static readonly TimeSpan LinkLifetime = TimeSpan.FromHours(72);

    private readonly FakeTimeProvider _clock = new(DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds()));
    private ServiceGroup _services = null!;
    private Uri _vhost = null!;
    private ServiceHost<CasesOptions> _cases = null!;

    public async Task InitializeAsync()
    {
        var database = await PlatformDatabase.CreateAsync(servers, "never_verified");
        _vhost = await servers.CreateVirtualHostAsync("never-verified");
        _services = new ServiceGroup(servers, database, _vhost, options =>
        {
            options.Clock = _clock;
            options.Set(ConsoleSignIn.Settings).Settings["Cases:SweepInterval"] = "1.00:00:00";
        });
        await _services.StartAsync<IdentityDbContext>();
        await _services.StartAsync<NotificationDbContext>();
        _cases = await _services.StartAsync<CasesOptions>();
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        await servers.DeleteVirtualHostAsync(_vhost);
    }

    [Fact]
    public async Task A_requester_who_never_confirms_gets_at_most_three_links_and_then_a_notice_that_the_case_closed_as_not_verified()
    {
        var requester = $"never-{Guid.NewGuid():N}@example.com";
        var caseId = await _cases.OpenCaseAsync(DataSubjectRight.Erasure, r => r with { SealedRequesterEmail = servers.Seal(r.CaseId, BusSeal.RequesterEmail, requester), ReceivedAt = _clock.GetUtcNow() });
        await _cases.WaitUntilAsync(caseId, c => c.VerificationEmails == 1, "the first verification email reported");

        // Each time the last link has expired, the step timeout re-sends VerifyIdentity and Identity mails a new link.
        for (var expected = 2; expected <= 3; expected++)
        {
            _clock.Advance(LinkLifetime + TimeSpan.FromMinutes(1));
            await _cases.Sweeper().SweepOnceAsync(default);
            var count = expected;
            await _cases.WaitUntilAsync(caseId, c => c.VerificationEmails == count, $"verification email {count} reported");
        }

        // The third link expires too: the case sends no more, and waits for the end of the period.
        _clock.Advance(LinkLifetime + TimeSpan.FromMinutes(1));
        await _cases.Sweeper().SweepOnceAsync(default);
        var waiting = await _cases.WaitUntilAsync(caseId, c => c.NextDeadlineKind == DeadlineKind.VerificationExpired, "only the end of the period planned");
        Assert.Equal((CaseStates.AwaitingVerification, 3), (waiting.CurrentState, waiting.VerificationEmails));
        using (var console = await _cases.SignedInClientAsync(ConsoleSignIn.Viewer, _clock.GetUtcNow()))
        {
            var page = await console.GetStringAsync(new Uri($"/cases/{caseId}", UriKind.Relative));
            Assert.Contains("3 of at most 3 sent", page, StringComparison.Ordinal);
        }

        _clock.SetUtcNow(waiting.ReceivedAt + TimeSpan.FromDays(14));
        await _cases.Sweeper().SweepOnceAsync(default);
        var closed = await _cases.WaitForStateAsync(caseId, CaseStates.Rejected);
        Assert.Equal("Not verified: the requester did not confirm the request within 14 days.", closed.Outcome);

        var notice = await MailDev.MailToAsync(requester, m => m.Subject.Contains("not confirmed", StringComparison.Ordinal), "the not-verified notice");
        Assert.Contains(closed.Reference, notice.Subject, StringComparison.Ordinal);
        Assert.Contains("ask again", notice.Text, StringComparison.Ordinal);
        Assert.Contains("14 days", notice.Text, StringComparison.Ordinal);
        await TestSettings.EventuallyAsync(
            async () => (await _cases.CaseAsync(caseId))!.Notices.Single(n => n.Template == "not-verified").SentAt is not null, "the notice's delivery recorded");
        Assert.Equal(3, (await MailDev.MailsToAsync(requester)).Count(m => m.Subject.StartsWith("Please confirm", StringComparison.Ordinal)));
    }
}
