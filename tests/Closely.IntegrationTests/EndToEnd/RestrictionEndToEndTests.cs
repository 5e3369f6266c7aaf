using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Closely.Cases;
using Closely.Cases.Saga;
using Closely.Contracts;
using Closely.DataLocator.Locating;
using Closely.ErasureExecutor.Erasure;
using Closely.Identity.Persistence;
using Closely.Intake;
using Closely.IntegrationTests.Cases;
using Closely.IntegrationTests.Infrastructure;
using Closely.IntegrationTests.Stores;
using Closely.Notification.Persistence;
using Closely.Stores.Samples;

namespace Closely.IntegrationTests.EndToEnd;

/// <summary>
/// The whole platform in one process, as in <see cref="ErasureEndToEndTests"/>, taking the demo subject's restriction
/// request (Art 18) from the API to its end: the rows stay, the stores' <c>_available</c> views no longer show them.
/// </summary>
[Collection(PlatformServersCollection.Name)]
public sealed class RestrictionEndToEndTests(PlatformServers servers) : IAsyncLifetime
{
    private const string Crm = "hetzner-fsn1-crm";

    private ServiceGroup _services = null!;
    private Uri _vhost = null!;
    private TestStores _stores = null!;
    private ServiceHost<IntakeOptions> _intake = null!;
    private ServiceHost<IdentityDbContext> _identity = null!;
    private ServiceHost<CasesOptions> _cases = null!;

    public async Task InitializeAsync()
    {
        var database = await PlatformDatabase.CreateAsync(servers, "e2e");
        _vhost = await servers.CreateVirtualHostAsync("e2e");
        _stores = await TestStores.CreateAsync(servers);
        _services = new ServiceGroup(servers, database, _vhost, options => options.Set(_stores.Settings));
        (_intake, _identity, _cases) = await _services.StartRequestPathAsync();
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        await servers.DeleteVirtualHostAsync(_vhost);
    }

    [Fact]
    public async Task A_verified_restriction_hides_the_subject_from_the_available_views_until_the_dpo_lifts_it_after_telling_the_requester()
    {
        // A colleague shares the demo subject's phone (a switchboard): she must stay visible.
        await _stores.ExecuteAsync(Crm, "UPDATE people SET phone = '+49 151 5550100' WHERE id = 41");
        var restricted = await _cases.RecordAsync<SubjectRestricted>();
        var lifted = await _cases.RecordAsync<SubjectRestrictionLifted>();
        var before = await CountsAsync();

        var (caseId, reference) = await SubmitAndVerifyAsync("accuracy-contested");
        var completed = await _cases.WaitForStateAsync(caseId, CaseStates.Completed, TimeSpan.FromSeconds(90));

        Assert.Equal(RestrictionGround.AccuracyContested, completed.RestrictionGround);
        Assert.All(completed.Stores, s => Assert.Equal((StoreActionKind.Restrict, StoreStatus.Completed), (s.Action, s.Status)));
        Assert.Equal(3, completed.Stores.Count);
        Assert.Contains("Art 18(1)(a)", completed.Outcome, StringComparison.Ordinal);
        // The colleague's record, reachable only through the shared phone, is left alone and the DPO told (ADR 19).
        Assert.Contains(completed.Notices, n => n.Key == "ambiguous-match");
        Assert.Equal("hetzner-fsn1-crm: people by phone", completed.AmbiguityReason);

        // Every row stays; the views show all of them but the subject's.
        var after = await CountsAsync();
        Assert.Equal(before.Tables, after.Tables);
        foreach (var store in _stores.Registry.Stores)
        {
            foreach (var entity in store.Entities)
            {
                var visible = await _stores.ScalarAsync<long>(store.Id,
                    $"SELECT count(*) FROM \"{entity.Table}_available\" t WHERE t::text ILIKE '%jane.doe@example.com%' OR t::text ILIKE '%jane-doe-demo%'");
                Assert.True(visible == 0, $"{store.Id}/{entity.Name}_available still shows the subject in {visible} rows");
                var hidden = after.Tables[$"{store.Id}/{entity.Name}"] - after.Available[$"{store.Id}/{entity.Name}"];
                Assert.True(hidden > 0 || entity.Relation is not null, $"{store.Id}/{entity.Name}: the subject's rows are hidden");
            }
        }

        Assert.Equal(1, await _stores.ScalarAsync<long>(Crm, "SELECT count(*) FROM people_available WHERE id = 41"));

        // Downstream hears once per store, with hashes and the ground; the requester is told the ground.
        await TestSettings.EventuallyAsync(() => Task.FromResult(restricted.Count(e => e.CaseId == caseId) == 3), "SubjectRestricted for each store");
        Assert.All(restricted.Where(e => e.CaseId == caseId), e =>
        {
            Assert.Equal((1, "accuracy-contested"), (e.SchemaVersion, e.Ground));
            Assert.Contains(e.Subject, h => h.Kind == "email" && h.Sha256 == HashedIdentifier.Email(SampleStores.DemoEmail).Sha256);
            Assert.DoesNotContain(e.Subject, h => h.Kind == "phone");
        });
        await MailDev.MailToAsync(SampleStores.DemoEmail,
            m => m.Text.Contains(reference, StringComparison.Ordinal) && m.Text.Contains("Art 18(1)(a)", StringComparison.Ordinal), "the restriction notice");

        // The DPO lifts it: the requester is told first, and only then do the stores show the rows again.
        await _cases.Bus.Publish(new LiftRestriction { CaseId = caseId, Actor = "dana", Reason = "The job title was checked and is correct." });
        var done = await _cases.WaitUntilAsync(caseId, c => c.CurrentState == CaseStates.Completed && c.RestrictionLifted, "the lift done", TimeSpan.FromSeconds(90));
        await MailDev.MailToAsync(SampleStores.DemoEmail,
            m => m.Text.Contains(reference, StringComparison.Ordinal) && m.Text.Contains("was checked and is correct", StringComparison.Ordinal), "the lift notice");
        var noticeSent = Assert.Single(done.Notices, n => n.Key == "restriction-lift").SentAt!.Value;
        Assert.All(done.Stores.Where(s => s.Action == StoreActionKind.LiftRestriction), s => Assert.True(s.CompletedAt > noticeSent, $"{s.StoreId} lifted after the notice"));
        Assert.Equal(3, done.Stores.Count(s => s.Action == StoreActionKind.LiftRestriction && s.Status == StoreStatus.Completed));
        foreach (var store in _stores.Registry.Stores)
        {
            var firstLift = await _stores.ScalarAsync<DateTime>(store.Id,
                $"SELECT completed_at FROM closely_dsr.action_ledger WHERE case_id = '{caseId}' AND action = 'lift-restriction'");
            Assert.True(firstLift > noticeSent.UtcDateTime, $"{store.Id}: the rows were visible again before the notice was sent");
        }

        Assert.Equal(before.Available, (await CountsAsync()).Available);
        await TestSettings.EventuallyAsync(() => Task.FromResult(lifted.Count(e => e.CaseId == caseId) == 3), "SubjectRestrictionLifted for each store");
    }

    [Fact]
    public async Task A_restriction_ground_with_another_right_is_refused_by_the_api()
    {
        using var intake = _intake.CreateClient();
        using var response = await intake.PostAsJsonAsync(new Uri("/api/requests", UriKind.Relative), new
        {
            type = "erasure",
            email = SampleStores.DemoEmail,
            fullName = "Jane Doe",
            restrictionGround = "legal-claims",
        });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("restrictionGround", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private async Task<(Guid CaseId, string Reference)> SubmitAndVerifyAsync(string ground)
    {
        using var intake = _intake.CreateClient();
        using var response = await intake.PostAsJsonAsync(new Uri("/api/requests", UriKind.Relative), new
        {
            type = "restriction",
            email = SampleStores.DemoEmail,
            fullName = "Jane Doe",
            details = "My job title is wrong; please stop using my data until you have checked it.",
            restrictionGround = ground,
        });
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var accepted = await response.Content.ReadFromJsonAsync<JsonElement>();
        var reference = accepted.GetProperty("reference").GetString()!;
        var link = await ErasureEndToEndTests.VerificationLinkAsync(reference);
        using var browser = _identity.CreateClient();
        await HtmlForms.ConfirmLinkAsync(browser, link);
        return (accepted.GetProperty("id").GetGuid(), reference);
    }

    /// <summary>Rows per store/entity: in the table, and in its <c>_available</c> view.</summary>
    private async Task<(Dictionary<string, long> Tables, Dictionary<string, long> Available)> CountsAsync()
    {
        var tables = new Dictionary<string, long>();
        var available = new Dictionary<string, long>();
        foreach (var store in _stores.Registry.Stores)
        {
            foreach (var entity in store.Entities)
            {
                tables[$"{store.Id}/{entity.Name}"] = await _stores.ScalarAsync<long>(store.Id, $"SELECT count(*) FROM \"{entity.Table}\"");
                available[$"{store.Id}/{entity.Name}"] = await _stores.ScalarAsync<long>(store.Id, $"SELECT count(*) FROM \"{entity.Table}_available\"");
            }
        }

        return (tables, available);
    }
}
