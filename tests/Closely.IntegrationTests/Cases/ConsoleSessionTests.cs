using System.Net;
using Closely.BuildingBlocks.Privacy;
using Closely.Cases;
using Closely.Cases.Audit;
using Closely.Cases.DpoConsole;
using Closely.Contracts;
using Closely.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace Closely.IntegrationTests.Cases;

/// <summary>
/// The console's sign-in and sessions over HTTP, as a browser makes the requests: the second factor, per-account
/// throttling, pseudonymous sign-in logs, sessions that end when the configuration drops or demotes their user or
/// their absolute lifetime passes, and every view of personal data recorded in the case's audit trail.
/// </summary>
[Collection(PlatformServersCollection.Name)]
public sealed class ConsoleSessionTests(PlatformServers servers) : IAsyncLifetime
{
    private readonly CapturedLogs _logs = new();
    private string _database = "";
    private Uri _vhost = null!;
    private ServiceHost<CasesOptions> _cases = null!;

    public async Task InitializeAsync()
    {
        _database = await PlatformDatabase.CreateAsync(servers, "sessions");
        _vhost = await servers.CreateVirtualHostAsync("sessions");
        _cases = await servers.StartCasesAsync(_database, _vhost, options => options.Logs = _logs);
    }

    public async Task DisposeAsync()
    {
        await _cases.DisposeAsync();
        await servers.DeleteVirtualHostAsync(_vhost);
    }

    [Fact]
    public async Task A_dpo_needs_the_current_code_besides_the_password_and_a_code_works_once()
    {
        var dpo = ConsoleSignIn.Dpo;
        using var client = _cases.CreateClient(new() { AllowAutoRedirect = false });

        using (var passwordOnly = await ConsoleSignIn.PostAsync(client, dpo.Name, dpo.Password, null))
        {
            Assert.Equal(HttpStatusCode.Unauthorized, passwordOnly.StatusCode);
            Assert.Contains("The user name, the password or the authentication code is wrong.", await passwordOnly.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        var code = dpo.Code();
        using (var signedIn = await ConsoleSignIn.PostAsync(client, dpo.Name, dpo.Password, code))
        {
            Assert.Equal(HttpStatusCode.Redirect, signedIn.StatusCode);
        }

        using var other = _cases.CreateClient(new() { AllowAutoRedirect = false });
        using var replayed = await ConsoleSignIn.PostAsync(other, dpo.Name, dpo.Password, code);
        Assert.Equal(HttpStatusCode.Unauthorized, replayed.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await client.GetAsync(new Uri("/api/cases", UriKind.Relative))).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await other.GetAsync(new Uri("/api/cases", UriKind.Relative))).StatusCode);
    }

    [Fact]
    public async Task After_five_failures_an_account_is_refused_even_the_right_credentials_and_the_logs_hold_its_pseudonym_only()
    {
        var dpo = ConsoleSignIn.Dpo;
        using var client = _cases.CreateClient(new() { AllowAutoRedirect = false });
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 5; i++)
        {
            using var failed = await ConsoleSignIn.PostAsync(client, dpo.Name.ToUpperInvariant(), $"guess {i}", "123456");
            statuses.Add(failed.StatusCode);
        }

        using var refused = await ConsoleSignIn.PostAsync(client, dpo.Name, dpo.Password, dpo.Code());
        statuses.Add(refused.StatusCode);
        Assert.Contains("Too many failed sign-ins", await refused.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        // Another account signs in as before.
        using var viewer = await ConsoleSignIn.PostAsync(client, ConsoleSignIn.Viewer.Name, ConsoleSignIn.Viewer.Password, null);
        statuses.Add(viewer.StatusCode);

        Assert.Equal([.. Enumerable.Repeat(HttpStatusCode.Unauthorized, 5), HttpStatusCode.TooManyRequests, HttpStatusCode.Redirect], statuses);
        var account = servers.Protector().Pseudonym(dpo.Name);
        Assert.Equal(5, _logs.Lines.Count(l => l.Contains($"A console sign-in failed for {account}", StringComparison.Ordinal)));
        Assert.Single(_logs.Lines, l => l.Contains($"A console sign-in for {account} was refused: too many failed sign-ins", StringComparison.Ordinal));
        Assert.Single(_logs.Lines, l => l.Contains($"Console user {servers.Protector().Pseudonym(ConsoleSignIn.Viewer.Name)} signed in", StringComparison.Ordinal));
        Assert.DoesNotContain(_logs.Lines, l => l.Contains(dpo.Name, StringComparison.OrdinalIgnoreCase) || l.Contains(ConsoleSignIn.Viewer.Name, StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task A_session_ends_on_the_next_request_once_the_configuration_demotes_or_removes_its_user()
    {
        var walter = new ConsoleTestUser("walter", "a third user's password", ConsoleRoles.Viewer, null);
        await using var before = await servers.StartCasesAsync(_database, _vhost, options => options.Set(Settings(walter)));
        var dana = await SessionCookieAsync(before, ConsoleSignIn.Dpo);
        var victor = await SessionCookieAsync(before, ConsoleSignIn.Viewer);
        var walters = await SessionCookieAsync(before, walter);

        // The same database and data protection keys, with dana demoted to a viewer and walter no longer configured.
        var logs = new CapturedLogs();
        await using var after = await servers.StartCasesAsync(_database, _vhost, options =>
        {
            options.Settings["Console:Users:dana:Role"] = "viewer";
            options.Logs = logs;
        });

        Assert.Equal(HttpStatusCode.OK, await StatusWithCookieAsync(after, victor));
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusWithCookieAsync(after, dana));
        Assert.Equal(HttpStatusCode.Unauthorized, await StatusWithCookieAsync(after, walters));
        Assert.Contains(logs.Lines, l => l.Contains($"The console session of {servers.Protector().Pseudonym("dana")} ended: the user's role changed", StringComparison.Ordinal));
        Assert.Contains(logs.Lines, l => l.Contains($"The console session of {servers.Protector().Pseudonym("walter")} ended: the user is no longer configured", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_session_in_use_ends_when_its_absolute_lifetime_has_passed()
    {
        var clock = new FakeTimeProvider(DateTimeOffset.UtcNow);
        await using var cases = await servers.StartCasesAsync(_database, _vhost, options =>
        {
            options.Clock = clock;
            options.Settings["Console:SessionLifetime"] = "1.00:00:00";
            options.Settings["Console:AbsoluteSessionLifetime"] = "01:00:00";
        });
        using var client = await cases.SignedInClientAsync(ConsoleSignIn.Dpo, clock.GetUtcNow());

        var statuses = new List<HttpStatusCode>();
        foreach (var step in new[] { 0, 20, 20, 19, 2 })
        {
            clock.Advance(TimeSpan.FromMinutes(step));
            statuses.Add((await client.GetAsync(new Uri("/api/cases", UriKind.Relative))).StatusCode);
        }

        Assert.Equal([HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.OK, HttpStatusCode.Unauthorized], statuses);
    }

    [Fact]
    public async Task Every_view_or_download_of_a_case_s_personal_data_is_in_its_audit_trail_with_the_viewer_s_pseudonym()
    {
        var caseId = await CaseWithAuthorityDocumentAsync();
        using var viewer = await _cases.SignedInClientAsync(ConsoleSignIn.Viewer);

        using (var page = await viewer.GetAsync(new Uri($"/cases/{caseId}", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
            Assert.Contains("agent@rights.example", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        using (var document = await viewer.GetAsync(new Uri($"/cases/{caseId}/authority-document", UriKind.Relative)))
        {
            Assert.Equal("%PDF-1.7 authority", await document.Content.ReadAsStringAsync());
        }

        using (var evidence = await viewer.GetAsync(new Uri($"/cases/{caseId}/evidence", UriKind.Relative)))
        {
            Assert.Equal(HttpStatusCode.OK, evidence.StatusCode);
        }

        // What shows no personal data is not recorded: the case list, the API and the chain check.
        foreach (var quiet in new[] { "/cases", "/api/cases", $"/api/cases/{caseId}", $"/cases/{caseId}/audit/verification" })
        {
            Assert.Equal(HttpStatusCode.OK, (await viewer.GetAsync(new Uri(quiet, UriKind.Relative))).StatusCode);
        }

        await using var db = _cases.NewDbContext();
        var trail = await db.AuditEntries.AsNoTracking().Where(e => e.CaseId == caseId).OrderBy(e => e.Sequence).ToListAsync();
        var pseudonym = servers.Protector().Pseudonym(ConsoleSignIn.Viewer.Name);
        Assert.Equal(["viewed", "document-downloaded", "evidence-exported"], trail.Where(e => e.Actor == pseudonym).Select(e => e.Action));
        Assert.DoesNotContain(trail, e => e.Actor == ConsoleSignIn.Viewer.Name);
        using var scope = _cases.Services.CreateScope();
        Assert.True((await scope.ServiceProvider.GetRequiredService<CaseAuditVerifier>().VerifyAsync(caseId, CancellationToken.None))!.Intact);
    }

    private static Dictionary<string, string?> Settings(ConsoleTestUser extra) => new()
    {
        [$"Console:Users:{extra.Name}:PasswordHash"] = ConsolePasswordHash.Hash(extra.Password),
        [$"Console:Users:{extra.Name}:Role"] = extra.Role,
    };

    private async Task<Guid> CaseWithAuthorityDocumentAsync()
    {
        var caseId = await _cases.OpenCaseAsync(change: received => received with
        {
            SealedAgentEmail = servers.Seal(received.CaseId, BusSeal.AgentEmail, "agent@rights.example"),
            SealedAgentAuthority = BusSeal.SealJson(servers.Protector(), received.CaseId, BusSeal.AgentAuthority,
                new DocumentAttachment { FileName = "authority.pdf", ContentType = "application/pdf", Content = "%PDF-1.7 authority"u8.ToArray() }),
        });
        await TestSettings.EventuallyAsync(async () =>
        {
            await using var db = _cases.NewDbContext();
            return await db.AuthorityDocuments.AnyAsync(d => d.CaseId == caseId);
        }, "the authority document stored");
        return caseId;
    }

    /// <summary>Signs in on <paramref name="host"/> and returns the session cookie, as a browser would keep it.</summary>
    private static async Task<string> SessionCookieAsync(ServiceHost<CasesOptions> host, ConsoleTestUser user)
    {
        using var client = host.CreateClient(new() { AllowAutoRedirect = false });
        using var response = await ConsoleSignIn.PostAsync(client, user.Name, user.Password, user.Code());
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        return response.Headers.GetValues("Set-Cookie").Single(c => c.StartsWith("closely-console=", StringComparison.Ordinal)).Split(';')[0];
    }

    private static async Task<HttpStatusCode> StatusWithCookieAsync(ServiceHost<CasesOptions> host, string cookie)
    {
        using var client = host.CreateClient(new() { AllowAutoRedirect = false, HandleCookies = false });
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/api/cases", UriKind.Relative));
        request.Headers.Add("Cookie", cookie);
        using var response = await client.SendAsync(request);
        return response.StatusCode;
    }
}
