using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Closely.Cases;
using Closely.Cases.Audit;
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
using Closely.Stores.Operations;
using Closely.Stores.Registry;
using Closely.Stores.Samples;
using Microsoft.Extensions.DependencyInjection;
using Closely.ServiceProcesses;

namespace Closely.IntegrationTests.EndToEnd;

/// <summary>
/// The whole platform in one process — all six services on one database and one virtual host, the
/// three sample stores, maildev — taking the demo subject's erasure request from the API to the end.
/// </summary>
[Collection(PlatformServersCollection.Name)]
public sealed class ErasureEndToEndTests(PlatformServers servers) : IAsyncLifetime
{
    private readonly CapturedLogs _logs = new();
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

        var settings = new Dictionary<string, string?>(_stores.Settings);

        // Quick retries, so that a store that fails and recovers does so within the test.
        settings["Erasure:Resilience:RetryDelay"] = "00:00:00.100";
        settings["Erasure:Resilience:CircuitBreakDuration"] = "00:00:01";
        settings["Cases:FailedStoreRetryInterval"] = "00:00:03";
        settings["Cases:SweepInterval"] = "00:00:01";

        _services = new ServiceGroup(servers, database, _vhost, options => options.Set(settings).Logs = _logs);
        (_intake, _identity, _cases) = await _services.StartRequestPathAsync();
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();

        await servers.DeleteVirtualHostAsync(_vhost);
    }

    [Fact]
    public async Task The_demo_subjects_verified_erasure_request_ends_completed_with_the_subject_gone_from_every_store_but_the_held_invoice()
    {
        var erased = await _cases.RecordAsync<SubjectErased>();
        var subject = new SubjectIdentifiers(SampleStores.DemoEmail, SampleStores.DemoLinkedInUrl);
        var before = await RowsAsync(subject);

        // The requester asks through the API...
        using var intake = _intake.CreateClient();
        using var response = await intake.PostAsJsonAsync(new Uri("/api/requests", UriKind.Relative), new
        {
            type = "erasure",
            email = SampleStores.DemoEmail,
            fullName = "Jane Doe",
            details = "Please erase everything you hold about me.",
        });
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var accepted = await response.Content.ReadFromJsonAsync<JsonElement>();
        var caseId = accepted.GetProperty("id").GetGuid();
        var reference = accepted.GetProperty("reference").GetString()!;
        var statusPath = new Uri(accepted.GetProperty("statusUrl").GetString()!).PathAndQuery;

        // ...confirms the link the verification email brings, as a person in a browser would...
        var link = await VerificationLinkAsync(reference);
        using var browser = _identity.CreateClient();
        await HtmlForms.ConfirmLinkAsync(browser, link);

        // ...and the case runs to its end.
        await _cases.WaitForStateAsync(caseId, CaseStates.Completed, TimeSpan.FromSeconds(90));

        // No row in any store still holds the subject's email or LinkedIn URL, but for her invoice, which German
        // commercial and tax law keeps (Art 17(3)): restricted, so the store's applications no longer see it...
        Assert.Equal(1, await _stores.ScalarAsync<long>("hetzner-fsn1-crm", "SELECT count(*) FROM invoices WHERE number = 'INV-2024-0042'"));
        Assert.Equal(0, await _stores.ScalarAsync<long>("hetzner-fsn1-crm", "SELECT count(*) FROM invoices_available WHERE number = 'INV-2024-0042'"));
        foreach (var store in _stores.Registry.Stores)
        {
            foreach (var entity in store.Entities.Where(e => e.Hold is null))
            {
                var left = await _stores.ScalarAsync<long>(store.Id,
                    $"SELECT count(*) FROM \"{entity.Table}\" t WHERE t::text ILIKE '%jane.doe@example.com%' OR t::text ILIKE '%jane-doe-demo%'");
                Assert.True(left == 0, $"{store.Id}/{entity.Name} still holds the subject in {left} rows");
            }
        }

        // ...and every other row is still there: counts drop by exactly the subject's deleted rows.
        var after = await RowsAsync(subject);
        foreach (var store in _stores.Registry.Stores)
        {
            foreach (var entity in store.Entities)
            {
                var key = $"{store.Id}/{entity.Name}";
                var deleted = entity.Erasure.Mode == ErasureMode.Delete && entity.Hold is null ? before.Subject[key] : 0;
                Assert.True(before.Subject[key] > 0 || entity.Relation is not null, $"the demo subject has rows in {key}");
                Assert.Equal(before.Total[key] - deleted, after.Total[key]);
            }
        }

        // Downstream hears once per store; the requester is told; the status link says so.
        await TestSettings.EventuallyAsync(() => Task.FromResult(erased.Count(e => e.CaseId == caseId) == 3), "SubjectErased for each store");
        Assert.Equal(
            _stores.Registry.Stores.Select(s => s.Id).Order(),
            erased.Where(e => e.CaseId == caseId).Select(e => e.StoreId).Order());
        var notice = await MailDev.MailToAsync(SampleStores.DemoEmail,
            m => m.Text.Contains(reference, StringComparison.Ordinal) && m.Subject.Contains("erase", StringComparison.OrdinalIgnoreCase), "the completion notice");
        Assert.Contains("invoices: German commercial and tax law (§ 257 HGB, § 147 AO)", notice.Text, StringComparison.Ordinal);
        Assert.Contains("kept until 2034-03-15", notice.Text, StringComparison.Ordinal);

        // The case and its evidence record the hold: what, why, until when.
        await using (var scope = _cases.Services.CreateAsyncScope())
        {
            var evidence = await scope.ServiceProvider.GetRequiredService<CaseEvidenceExporter>().ExportAsync(caseId, CancellationToken.None);
            var held = Assert.Single(evidence!.ErasureCertificate!.Stores.SelectMany(s => s.Held));
            Assert.Equal(("invoices", 1, new DateOnly(2034, 3, 15)), (held.Entity, held.Rows, held.HoldEndsOn));
            Assert.Contains("§ 147 AO", held.LegalBasis, StringComparison.Ordinal);
        }

        var status = await intake.GetFromJsonAsync<JsonElement>(new Uri(statusPath, UriKind.Relative));
        Assert.Equal("completed", status.GetProperty("status").GetString());

        // Nothing the services logged names the subject.
        var leaks = _logs.Lines.Where(l =>
            l.Contains("jane.doe@example.com", StringComparison.OrdinalIgnoreCase)
            || l.Contains("jane-doe-demo", StringComparison.OrdinalIgnoreCase)).ToList();
        Assert.Contains(_logs.Lines, l => l.Contains(reference, StringComparison.Ordinal));
        Assert.True(leaks.Count == 0, "personal data in the logs:\n" + string.Join('\n', leaks.Take(5)));
    }

    [Fact]
    public async Task A_store_that_is_unreachable_leaves_the_case_partially_completed_until_it_is_back()
    {
        const string Unreachable = "aws-euc1-analytics";
        await _stores.SetConnectionsAllowedAsync(servers, Unreachable, allowed: false);
        var (caseId, reference) = await SubmitAndVerifyAsync();

        var partial = await _cases.WaitForStateAsync(caseId, CaseStates.PartiallyCompleted, TimeSpan.FromSeconds(90));
        var failed = Assert.Single(partial.Stores, s => s.Status == StoreStatus.Failed);
        Assert.Equal(Unreachable, failed.StoreId);
        Assert.Contains(Unreachable, failed.Reason, StringComparison.Ordinal);
        Assert.All(partial.Stores.Where(s => s.StoreId != Unreachable), s => Assert.Equal(StoreStatus.Completed, s.Status));

        await _stores.SetConnectionsAllowedAsync(servers, Unreachable, allowed: true);
        var completed = await _cases.WaitForStateAsync(caseId, CaseStates.Completed, TimeSpan.FromSeconds(90));
        Assert.All(completed.Stores, s => Assert.Equal(StoreStatus.Completed, s.Status));
        Assert.Equal(0, await _stores.ScalarAsync<long>(Unreachable, "SELECT count(*) FROM profiles p WHERE p::text ILIKE '%jane.doe@example.com%'"));
        Assert.Matches("^DSR-[0-9]{4}-[2-9A-HJ-NP-Z]{6}$", reference);
    }

    [Fact]
    public async Task Erasing_a_subject_who_shares_a_phone_leaves_the_other_persons_rows_in_every_store_and_hands_the_case_to_the_dpo()
    {
        // Another seeded person gets the demo subject's phone number: a company switchboard.
        const string Crm = "hetzner-fsn1-crm";
        await _stores.ExecuteAsync(Crm, "UPDATE people SET phone = (SELECT phone FROM people WHERE lower(email) = 'jane.doe@example.com') WHERE id = 15");
        var bystander = new SubjectIdentifiers(await _stores.EmailOfAsync(15));
        var before = await RowsAsync(bystander);
        Assert.Contains(before.Subject, rows => rows.Key.StartsWith(Crm, StringComparison.Ordinal) && rows.Value > 0);

        var (caseId, reference) = await SubmitAndVerifyAsync();

        var saga = await _cases.WaitForStateAsync(caseId, CaseStates.AwaitingDpoAction, TimeSpan.FromSeconds(90));
        Assert.All(saga.Stores, s => Assert.Equal(StoreStatus.Completed, s.Status));
        Assert.Equal($"{Crm}: people by phone", saga.AmbiguityReason);
        Assert.Null(saga.ClosedAt);

        // The bystander's rows are all still there, in every store; the subject's own are gone.
        var after = await RowsAsync(bystander);
        Assert.Equal(before.Subject, after.Subject);
        Assert.Equal(0, await _stores.ScalarAsync<long>(Crm, "SELECT count(*) FROM people p WHERE p::text ILIKE '%jane.doe@example.com%'"));

        // The DPO is told where, without the number; the requester is not told the request is complete.
        var notice = await MailDev.MailToAsync(
            "dpo@closely.example", m => m.Text.Contains(reference, StringComparison.Ordinal) && m.Text.Contains("people by phone", StringComparison.Ordinal), "the DPO's notice");
        Assert.DoesNotContain("5550100", notice.Text, StringComparison.Ordinal);
        Assert.DoesNotContain(await MailDev.MailsToAsync(SampleStores.DemoEmail), m => m.Text.Contains(reference, StringComparison.Ordinal) && m.Subject.Contains("erase", StringComparison.OrdinalIgnoreCase));
    }

    private async Task<(Guid CaseId, string Reference)> SubmitAndVerifyAsync()
    {
        using var intake = _intake.CreateClient();
        using var response = await intake.PostAsJsonAsync(new Uri("/api/requests", UriKind.Relative), new
        {
            type = "erasure",
            email = SampleStores.DemoEmail,
            fullName = "Jane Doe",
        });
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var accepted = await response.Content.ReadFromJsonAsync<JsonElement>();
        var reference = accepted.GetProperty("reference").GetString()!;
        var link = await VerificationLinkAsync(reference);
        using var browser = _identity.CreateClient();
        await HtmlForms.ConfirmLinkAsync(browser, link);
        return (accepted.GetProperty("id").GetGuid(), reference);
    }

    /// <summary>The link of the verification email of request <paramref name="reference"/>, as maildev holds it.</summary>
    internal static async Task<Uri> VerificationLinkAsync(string reference)
    {
        var mail = await MailDev.MailToAsync(
            SampleStores.DemoEmail, m => m.Text.Contains(reference, StringComparison.Ordinal) && MailedLinks.Verification().IsMatch(m.Text), "the verification email");
        return new Uri(MailedLinks.Verification().Match(mail.Text).Value);
    }

    /// <summary>Rows per store/entity: all of them, and the subject's.</summary>
    private async Task<(Dictionary<string, long> Total, Dictionary<string, int> Subject)> RowsAsync(SubjectIdentifiers subject)
    {
        var total = new Dictionary<string, long>();
        var mine = new Dictionary<string, int>();
        foreach (var store in _stores.Registry.Stores)
        {
            var found = await _stores.Operations.LocateAsync(store, subject, CancellationToken.None);
            foreach (var entity in store.Entities)
            {
                total[$"{store.Id}/{entity.Name}"] = await _stores.ScalarAsync<long>(store.Id, $"SELECT count(*) FROM \"{entity.Table}\"");
                mine[$"{store.Id}/{entity.Name}"] = found.Rows[entity.Name].Count;
            }
        }

        return (total, mine);
    }
}
