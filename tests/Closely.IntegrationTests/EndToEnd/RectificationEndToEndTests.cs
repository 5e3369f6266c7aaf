using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Closely.BuildingBlocks.Privacy;
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
using Closely.Stores.Samples;
using Microsoft.Extensions.DependencyInjection;

namespace Closely.IntegrationTests.EndToEnd;

/// <summary>
/// The whole platform in one process, as in <see cref="RestrictionEndToEndTests"/>, taking the demo subject's rectification
/// request (Art 16) with structured corrections from the API through the DPO's decisions to the stores.
/// </summary>
[Collection(PlatformServersCollection.Name)]
public sealed class RectificationEndToEndTests(PlatformServers servers) : IAsyncLifetime
{
    private const string Crm = "hetzner-fsn1-crm";
    private const string Outreach = "hetzner-hel1-outreach";
    private const string NewTitle = "Chief Data Officer";

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
    public async Task An_approved_job_title_is_corrected_in_every_store_holding_it_and_nothing_else_and_a_declined_correction_is_kept_as_a_statement()
    {
        // A colleague shares the demo subject's phone (a switchboard): her row must not change.
        await _stores.ExecuteAsync(Crm, "UPDATE people SET phone = '+49 151 5550100' WHERE id = 41");
        var rectified = await _cases.RecordAsync<SubjectRectified>();
        var before = await RowsAsync();
        var subject = await SubjectRowsAsync();

        var (caseId, reference) = await SubmitAndVerifyAsync(
            new { field = "jobTitle", current = "Head of Data", correction = "Chief Data Officer (CDO)" },
            new { field = "company", current = "Example GmbH", correction = "Example AG" });
        var waiting = await _cases.WaitForStateAsync(caseId, CaseStates.AwaitingDpoAction, TimeSpan.FromSeconds(60));
        Assert.Equal(["jobTitle", "company"], waiting.Corrections.Select(c => c.Field));
        Assert.Equal("Chief Data Officer (CDO)", waiting.Corrections[0].Requested);

        // The DPO approves the job title as edited and declines the company.
        await _cases.Bus.Publish(new DecideCorrections
        {
            CaseId = caseId,
            Actor = "dana",
            Verdicts =
            [
                new CorrectionVerdict { Field = "jobTitle", Approved = true },
                new CorrectionVerdict { Field = "company", Approved = false, Reason = "the commercial register lists Example GmbH" },
            ],
            SealedEdits = SealedCorrections.Seal(servers.Protector(), caseId, SealedCorrections.Edited,
                [new FieldCorrection { Field = "jobTitle", Correction = NewTitle }]),
        });
        var completed = await _cases.WaitForStateAsync(caseId, CaseStates.Completed, TimeSpan.FromSeconds(90));

        // The stores that hold a job title for the subject got the action; the analytics store, which has none, did not.
        Assert.Equal([Crm, Outreach], completed.Stores.Select(s => s.StoreId).Order());
        Assert.All(completed.Stores, s => Assert.Equal((StoreActionKind.Rectify, StoreStatus.Completed), (s.Action, s.Status)));
        var declined = Assert.Single(completed.Corrections, c => c.Decision == CorrectionDecision.Declined);
        Assert.Contains("Example AG", declined.Statement, StringComparison.Ordinal);
        Assert.Contains("commercial register", declined.Statement, StringComparison.Ordinal);
        Assert.Contains("company", completed.Outcome, StringComparison.Ordinal);

        // Only the subject's job_title changed, to the DPO's value; every other column and every other row is as it was.
        var after = await RowsAsync();
        Assert.Equal(before.Keys, after.Keys);
        foreach (var (table, rows) in before)
        {
            Assert.Equal(rows.Keys.Order(), after[table].Keys.Order());
            foreach (var (id, row) in rows)
            {
                var now = after[table][id];
                var changed = row.Keys.Where(column => row[column] != now[column]).ToList();
                if (subject.Contains((table, id)) && row.ContainsKey("job_title"))
                {
                    Assert.Equal(["job_title"], changed);
                    Assert.Equal(JsonSerializer.Serialize(NewTitle), now["job_title"]);
                }
                else
                {
                    Assert.True(changed.Count == 0, $"{table} row {id} changed: {string.Join(", ", changed)}");
                }
            }
        }

        // The colleague who shares the phone is no part of the subject's match, and her row is the same as before.
        Assert.DoesNotContain((Crm + "/people", 41L), subject);
        Assert.Equal(before[Crm + "/people"][41], after[Crm + "/people"][41]);
        Assert.Equal(2, subject.Count(s => before[s.Table][s.Id].ContainsKey("job_title")));

        // Downstream hears once per store, with hashes and the field's name, never a value.
        await TestSettings.EventuallyAsync(() => Task.FromResult(rectified.Count(e => e.CaseId == caseId) == 2), "SubjectRectified for each store");
        Assert.All(rectified.Where(e => e.CaseId == caseId), e =>
        {
            Assert.Equal((1, 1), (e.SchemaVersion, e.RowsAffected));
            Assert.Equal(["jobTitle"], e.Fields);
            Assert.Contains(e.Subject, h => h.Kind == "email" && h.Sha256 == HashedIdentifier.Email(SampleStores.DemoEmail).Sha256);
            Assert.DoesNotContain(NewTitle, JsonSerializer.Serialize(e), StringComparison.Ordinal);
        });

        // The requester is told what was corrected, and why the company was not.
        await MailDev.MailToAsync(SampleStores.DemoEmail,
            m => m.Text.Contains(reference, StringComparison.Ordinal) && m.Text.Contains("jobTitle", StringComparison.Ordinal)
                && m.Text.Contains("company: the commercial register lists Example GmbH", StringComparison.Ordinal),
            "the rectification notice");

        // The evidence export shows each correction's decision and the rectification per store.
        await using var scope = _cases.Services.CreateAsyncScope();
        var evidence = await scope.ServiceProvider.GetRequiredService<CaseEvidenceExporter>().ExportAsync(caseId, CancellationToken.None);
        var json = JsonDocument.Parse(JsonSerializer.Serialize(evidence, CaseEvidence.JsonOptions)).RootElement.GetProperty("rectification");
        Assert.True(json.GetProperty("allStoresCompleted").GetBoolean());
        Assert.Equal([(Crm, "completed", 1), (Outreach, "completed", 1)], json.GetProperty("stores").EnumerateArray()
            .Select(s => (s.GetProperty("storeId").GetString(), s.GetProperty("outcome").GetString(), s.GetProperty("rowsAffected").GetInt32())).OrderBy(s => s.Item1));
        Assert.Equal([("jobTitle", "approved", NewTitle), ("company", "declined", null)], json.GetProperty("corrections").EnumerateArray()
            .Select(c => (c.GetProperty("field").GetString(), c.GetProperty("decision").GetString(), c.GetProperty("value").GetString())));
    }

    [Fact]
    public async Task Corrections_that_are_malformed_are_refused_by_the_api_with_the_field_named()
    {
        using var intake = _intake.CreateClient();
        using var response = await intake.PostAsJsonAsync(new Uri("/api/requests", UriKind.Relative), new
        {
            type = "rectification",
            email = SampleStores.DemoEmail,
            fullName = "Jane Doe",
            corrections = new object[]
            {
                new { field = "salary", correction = "more" },
                new { field = "jobTitle", correction = "CTO\u0007" },
            },
        });
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        var errors = problem.GetProperty("errors");
        Assert.True(errors.TryGetProperty("corrections[0].field", out _), errors.ToString());
        Assert.True(errors.TryGetProperty("corrections[1].correction", out _), errors.ToString());
    }

    private async Task<(Guid CaseId, string Reference)> SubmitAndVerifyAsync(params object[] corrections)
    {
        using var intake = _intake.CreateClient();
        using var response = await intake.PostAsJsonAsync(new Uri("/api/requests", UriKind.Relative), new
        {
            type = "rectification",
            email = SampleStores.DemoEmail,
            fullName = "Jane Doe",
            details = "My job title changed.",
            corrections,
        });
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var accepted = await response.Content.ReadFromJsonAsync<JsonElement>();
        var reference = accepted.GetProperty("reference").GetString()!;
        var link = await ErasureEndToEndTests.VerificationLinkAsync(reference);
        using var browser = _identity.CreateClient();
        await HtmlForms.ConfirmLinkAsync(browser, link);
        return (accepted.GetProperty("id").GetGuid(), reference);
    }

    /// <summary>Every row of every entity table, per <c>store/entity</c> and key, as column -> JSON value.</summary>
    private async Task<Dictionary<string, Dictionary<long, Dictionary<string, string>>>> RowsAsync()
    {
        var tables = new Dictionary<string, Dictionary<long, Dictionary<string, string>>>();
        foreach (var store in _stores.Registry.Stores)
        {
            foreach (var entity in store.Entities)
            {
                var json = await _stores.ScalarAsync<string>(store.Id,
                    $"SELECT coalesce(jsonb_object_agg(t.\"{entity.Key}\", to_jsonb(t)), '{{}}')::text FROM \"{entity.Table}\" t");
                tables[$"{store.Id}/{entity.Name}"] = JsonSerializer.Deserialize<Dictionary<long, Dictionary<string, JsonElement>>>(json)!
                    .ToDictionary(r => r.Key, r => r.Value.ToDictionary(c => c.Key, c => c.Value.GetRawText()));
            }
        }

        return tables;
    }

    /// <summary>The subject's rows as the stores' conservative match finds them, per <c>store/entity</c>.</summary>
    private async Task<HashSet<(string Table, long Id)>> SubjectRowsAsync()
    {
        var rows = new HashSet<(string, long)>();
        foreach (var store in _stores.Registry.Stores)
        {
            var match = await _stores.Operations.LocateAsync(store, new SubjectIdentifiers(Email: SampleStores.DemoEmail), CancellationToken.None);
            foreach (var (entity, keys) in match.Rows)
            {
                rows.UnionWith(keys.Select(k => ($"{store.Id}/{entity}", k)));
            }
        }

        return rows;
    }
}
