using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Closely.Cases;
using Closely.Cases.Audit;
using Closely.Cases.Persistence;
using Closely.Cases.Saga;
using Closely.Contracts;
using Closely.Identity.Persistence;
using Closely.Intake;
using Closely.Intake.Persistence;
using Closely.IntegrationTests.Infrastructure;
using Closely.IntegrationTests.Intake;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Npgsql;

namespace Closely.IntegrationTests.Cases;

/// <summary>
/// The retention sweeper (ADR 36) with Intake, Identity and Cases on one database and virtual host: a case closed
/// longer ago than its outcome's retention loses its personal data in all three services, while a case of another
/// outcome closed as long ago, and a case closed recently, keep theirs; the audit trail records the removal and
/// still verifies.
/// </summary>
[Collection(PlatformServersCollection.Name)]
public sealed class RetentionTests(PlatformServers servers)
{
    [Fact]
    public async Task A_case_past_its_retention_is_pseudonymised_in_every_service_and_others_are_untouched()
    {
        var database = await PlatformDatabase.CreateAsync(servers, "retention");
        var vhost = await servers.CreateVirtualHostAsync("retention");
        await using var cases = await servers.StartCasesAsync(database, vhost);
        await using var identity = await ServiceHost<IdentityDbContext>.StartAsync(servers, database, vhost);
        await using var intake = await servers.StartIntakeAsync(database, vhost);
        var tag = Guid.NewGuid().ToString("N")[..12];

        // Closed as rejected two years ago (retention one year), as refused two years ago (three years), as rejected now.
        var oldRejected = await OpenAsync(cases, identity, intake, $"old.rejected.{tag}@example.org", "rectification");
        var oldRefused = await OpenAsync(cases, identity, intake, $"old.refused.{tag}@example.org");
        var recentRejected = await OpenAsync(cases, identity, intake, $"recent.rejected.{tag}@example.org");
        foreach (var caseId in new[] { oldRejected, recentRejected })
        {
            await cases.Bus.Publish(new IdentityRejected { CaseId = caseId, Reason = "The link was never used.", RejectedAt = DateTimeOffset.UtcNow });
            await cases.WaitForStateAsync(caseId, CaseStates.Rejected);
        }

        await cases.Bus.Publish(new RefuseRequest { CaseId = oldRefused, Actor = "dpo", Reason = "The fourth identical request this month." });
        await cases.WaitForStateAsync(oldRefused, CaseStates.Refused);
        await using (var db = cases.NewDbContext())
        {
            db.AuthorityDocuments.Add(new AuthorityDocument
            {
                CaseId = oldRejected, FileName = "authority.pdf", ContentType = "application/pdf", Content = "%PDF-1.4"u8.ToArray(), ReceivedAt = DateTimeOffset.UtcNow,
            });
            await db.SaveChangesAsync();
        }

        await BackdateClosingAsync(cases.Database, TimeSpan.FromDays(730), oldRejected, oldRefused);

        Assert.Equal(1, await cases.RetentionSweeper().SweepOnceAsync(CancellationToken.None));
        await intake.WaitForHandledAsync<CaseRetentionEnded>(m => m.CaseId == oldRejected);
        await identity.WaitForHandledAsync<CaseRetentionEnded>(m => m.CaseId == oldRejected);

        // Cases: the addresses, their index and the authority gone; the record and a verifying trail that says so stay.
        await using (var db = cases.NewDbContext())
        {
            var removed = await db.Cases.AsNoTracking().SingleAsync(c => c.CorrelationId == oldRejected);
            Assert.Equal(("", 0, CaseStates.Rejected), (removed.RequesterEmail, removed.RequesterEmailIndex.Length, removed.CurrentState));
            Assert.NotNull(removed.PersonalDataRemovedAt);
            Assert.NotNull(removed.ClosedAt);
            Assert.False(await db.AuthorityDocuments.AnyAsync(d => d.CaseId == oldRejected));
            var last = await db.AuditEntries.AsNoTracking().Where(e => e.CaseId == oldRejected).OrderBy(e => e.Sequence).LastAsync();
            Assert.Equal("personal-data-removed", last.Action);
            Assert.StartsWith("Retention of 365 days after closing as Rejected ended", last.Detail, StringComparison.Ordinal);

            Assert.Equal($"old.refused.{tag}@example.org", (await db.Cases.AsNoTracking().SingleAsync(c => c.CorrelationId == oldRefused)).RequesterEmail);
            Assert.Equal($"recent.rejected.{tag}@example.org", (await db.Cases.AsNoTracking().SingleAsync(c => c.CorrelationId == recentRejected)).RequesterEmail);
            Assert.Equal(2, await db.Cases.CountAsync(c => c.PersonalDataRemovedAt == null));
        }

        await using (var scope = cases.Services.CreateAsyncScope())
        {
            var verification = await scope.ServiceProvider.GetRequiredService<CaseAuditVerifier>().VerifyAsync(oldRejected, CancellationToken.None);
            Assert.True(verification!.Intact, verification.ToString());
        }

        // Intake: the request keeps its reference and dates, loses the address, name, details and corrections.
        await using (var scope = intake.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<IntakeDbContext>();
            var requests = await db.Requests.AsNoTracking().ToDictionaryAsync(r => r.Id);
            Assert.Equal(("", "", null, 0), (requests[oldRejected].Email, requests[oldRejected].FullName, requests[oldRejected].Details, requests[oldRejected].EmailIndex.Length));
            Assert.Null(requests[oldRejected].Corrections);
            Assert.Matches("^DSR-", requests[oldRejected].Reference);
            Assert.Equal(("Ada Lovelace", "Please erase me."), (requests[oldRefused].FullName, requests[oldRefused].Details));
            Assert.Equal($"recent.rejected.{tag}@example.org", requests[recentRejected].Email);
        }

        // Identity: the links stay as the record of the verification, without the address.
        await using (var scope = identity.Services.CreateAsyncScope())
        {
            var db = scope.ServiceProvider.GetRequiredService<IdentityDbContext>();
            var links = await db.Verifications.AsNoTracking().ToListAsync();
            Assert.All(links.Where(l => l.CaseId == oldRejected), l => Assert.Equal("", l.RequesterEmail));
            Assert.Contains(links, l => l.CaseId == oldRejected);
            Assert.All(links.Where(l => l.CaseId != oldRejected), l => Assert.NotEqual("", l.RequesterEmail));
        }

        // A second pass finds nothing more to do.
        Assert.Equal(0, await cases.RetentionSweeper().SweepOnceAsync(CancellationToken.None));
    }

    private static async Task<Guid> OpenAsync(
        ServiceHost<CasesOptions> cases, ServiceHost<IdentityDbContext> identity, ServiceHost<IntakeOptions> intake, string email,
        string type = "erasure")
    {
        object[] corrections = type == "rectification" ? [new { field = "jobTitle", current = "Analyst", correction = "Chief Data Officer" }] : [];
        using var response = await intake.Client.PostAsJsonAsync(
            new Uri("/api/requests", UriKind.Relative), new { type, email, fullName = "Ada Lovelace", details = "Please erase me.", corrections });
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var caseId = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        await cases.WaitForStateAsync(caseId, CaseStates.AwaitingVerification);
        await identity.WaitForHandledAsync<VerifyIdentity>(m => m.CaseId == caseId);
        return caseId;
    }

    private static async Task BackdateClosingAsync(string database, TimeSpan by, params Guid[] caseIds)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("UPDATE cases.case_sagas SET closed_at = closed_at - @by WHERE correlation_id = ANY(@ids)", connection);
        command.Parameters.AddWithValue("by", by);
        command.Parameters.AddWithValue("ids", caseIds);
        Assert.Equal(caseIds.Length, await command.ExecuteNonQueryAsync());
    }
}
