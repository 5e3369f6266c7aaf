using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Closely.BuildingBlocks.Privacy;
using Closely.Cases;
using Closely.Cases.Audit;
using Closely.Cases.Saga;
using Closely.Contracts;
using Closely.IntegrationTests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Closely.IntegrationTests.Cases;

/// <summary>The evidence a DPO hands to a supervisory authority, for an erasure an agent asked for.</summary>
[Collection(PlatformServersCollection.Name)]
public sealed partial class EvidenceExportTests(PlatformServers servers) : IAsyncLifetime
{
    private const string Requester = "jane.doe@example.com";
    private const string Agent = "agent.smith@rights-agency.example";
    private const string Dpo = "maria.keller";
    private const string Details = "Please erase everything; my colleague Bob Mustermann (bob@othercorp.example) can confirm.";
    private static readonly string[] Stores = ["hetzner-fsn1-crm", "hetzner-hel1-outreach", "aws-euc1-analytics"];

    private ServiceHost<CasesOptions> _host = null!;

    public async Task InitializeAsync() => _host = await servers.StartCasesAsync("evidence");

    public Task DisposeAsync() => _host.DisposeAsync().AsTask();

    [Fact]
    public async Task The_evidence_of_a_completed_erasure_certifies_every_store_and_names_no_one_but_the_requester()
    {
        var caseId = Guid.NewGuid();
        var reference = "DSR-" + caseId.ToString("N")[..10].ToUpperInvariant();
        var completedAt = Stores.Select((s, i) => new DateTimeOffset(2026, 11, 20, 10, 15 + i, 30, TimeSpan.Zero)).ToArray();
        await DriveToCompletedAsync(caseId, reference, completedAt);
        await _host.Services.GetRequiredService<AuditAnchors>().WriteAsync(onlyWhenDue: false, CancellationToken.None);

        using var client = await _host.SignedInClientAsync(ConsoleSignIn.Viewer);
        using var response = await client.GetAsync(new Uri($"/cases/{caseId}/evidence", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("attachment", response.Content.Headers.ContentDisposition?.DispositionType);
        Assert.Equal($"evidence-{reference}.json", response.Content.Headers.ContentDisposition?.FileName?.Trim('"'));
        var text = await response.Content.ReadAsStringAsync();
        var evidence = JsonDocument.Parse(text).RootElement;

        Assert.Equal(1, evidence.GetProperty("schemaVersion").GetInt32());
        Assert.True(evidence.GetProperty("generatedAt").GetDateTimeOffset() > DateTimeOffset.UtcNow.AddMinutes(-5));
        var @case = evidence.GetProperty("case");
        Assert.Equal(reference, @case.GetProperty("reference").GetString());
        Assert.Equal("erasure", @case.GetProperty("right").GetString());
        Assert.Equal("completed", @case.GetProperty("state").GetString());
        Assert.Equal("email-link", @case.GetProperty("identityVerificationMethod").GetString());
        Assert.True(@case.GetProperty("madeThroughAgent").GetBoolean());
        Assert.Equal("approved", @case.GetProperty("agentAuthority").GetString());
        var saga = (await _host.CaseAsync(caseId))!;
        Assert.Equal(saga.ClosedAt, @case.GetProperty("closedAt").GetDateTimeOffset());
        Assert.Equal(saga.DueOn.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture), @case.GetProperty("dueOn").GetString());

        // Every store, with its outcome, rows and when it was done.
        var certificate = evidence.GetProperty("erasureCertificate");
        Assert.True(certificate.GetProperty("allStoresCompleted").GetBoolean());
        var stores = certificate.GetProperty("stores").EnumerateArray().ToDictionary(s => s.GetProperty("storeId").GetString()!);
        Assert.Equal(Stores.Order(), stores.Keys.Order());
        for (var i = 0; i < Stores.Length; i++)
        {
            var store = stores[Stores[i]];
            Assert.Equal("completed", store.GetProperty("outcome").GetString());
            Assert.Equal(completedAt[i], store.GetProperty("completedAt").GetDateTimeOffset());
            Assert.Equal(i + 2, store.GetProperty("rowsFound").GetInt32());
            Assert.Equal(i + 2, store.GetProperty("rowsAffected").GetInt32());
        }

        // The timeline is the verified chain; the DPO appears as a pseudonym.
        var timeline = evidence.GetProperty("timeline").EnumerateArray().ToList();
        var verification = evidence.GetProperty("chainVerification");
        Assert.True(verification.GetProperty("intact").GetBoolean());
        Assert.Equal(timeline.Count, verification.GetProperty("entryCount").GetInt32());
        Assert.Equal(Enumerable.Range(0, timeline.Count), timeline.Select(e => e.GetProperty("sequence").GetInt32()));
        var approval = Assert.Single(timeline, e => e.GetProperty("action").GetString() == "authority-approved");
        Assert.Equal(servers.Protector().Pseudonym(Dpo), approval.GetProperty("actor").GetString());
        Assert.Equal(64, approval.GetProperty("hash").GetString()!.Length);
        Assert.All(timeline, e => Assert.Equal("default", e.GetProperty("keyId").GetString()));

        // The download itself is the last entry, with the viewer's pseudonym.
        Assert.Equal(("evidence-exported", servers.Protector().Pseudonym(ConsoleSignIn.Viewer.Name)),
            (timeline[^1].GetProperty("action").GetString(), timeline[^1].GetProperty("actor").GetString()));

        // The latest anchor (written before the download) proves the chain's head up to there to anyone with the public
        // key: signed statement, leaf, audit path, root.
        var anchor = evidence.GetProperty("anchor");
        var leaf = anchor.GetProperty("leaf");
        Assert.Equal((caseId, timeline.Count - 1, timeline[^2].GetProperty("hash").GetString()),
            (leaf.GetProperty("caseId").GetGuid(), leaf.GetProperty("entryCount").GetInt32(), leaf.GetProperty("head").GetString()));
        Assert.Equal(timeline.Count - 1, verification.GetProperty("anchoredEntryCount").GetInt32());
        var statement = anchor.GetProperty("statement").GetString()!;
        Assert.Contains($"root: {anchor.GetProperty("root").GetString()}", statement, StringComparison.Ordinal);
        using (var publicKey = servers.AnchorPublicKey())
        {
            Assert.True(publicKey.VerifyData(Encoding.UTF8.GetBytes(statement), Convert.FromBase64String(anchor.GetProperty("signature").GetString()!),
                HashAlgorithmName.SHA256, DSASignatureFormat.Rfc3279DerSequence));
        }

        var leafHash = new AnchorLeaf(caseId, timeline.Count - 1, timeline[^2].GetProperty("hash").GetString()!).Hash();
        var path = anchor.GetProperty("auditPath").EnumerateArray().Select(p => Convert.FromHexString(p.GetString()!)).ToList();
        Assert.True(MerkleTree.Verify(leafHash, anchor.GetProperty("leafIndex").GetInt32(), anchor.GetProperty("treeSize").GetInt32(), path,
            Convert.FromHexString(anchor.GetProperty("root").GetString()!)));
        Assert.Contains(evidence.GetProperty("notices").EnumerateArray(),
            n => n.GetProperty("template").GetString() == "acknowledgement" && n.GetProperty("recipient").GetString() == "requester"
                && n.GetProperty("sentAt").ValueKind != JsonValueKind.Null);

        // No personal data but the requester's: no agent, no staff name, nothing the requester wrote.
        Assert.Equal([Requester], EmailPattern().Matches(text).Select(m => m.Value).Distinct());
        Assert.DoesNotContain(Dpo, text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("Mustermann", text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(Agent, text, StringComparison.OrdinalIgnoreCase);
    }

    private async Task DriveToCompletedAsync(Guid caseId, string reference, DateTimeOffset[] completedAt)
    {
        await _host.Bus.Publish(new DsrReceived
        {
            CaseId = caseId,
            Reference = reference,
            Right = DataSubjectRight.Erasure,
            Channel = IntakeChannel.WebForm,
            ReceivedAt = DateTimeOffset.UtcNow.AddDays(-3),
            SealedRequesterEmail = servers.Seal(caseId, BusSeal.RequesterEmail, Requester),
            SealedAgentEmail = servers.Seal(caseId, BusSeal.AgentEmail, Agent),
            SealedDetails = servers.Seal(caseId, BusSeal.Details, Details),
        });
        await _host.WaitForStateAsync(caseId, "AwaitingVerification");
        await _host.Bus.Publish(new NotificationSent { CaseId = caseId, NotificationKey = "acknowledgement", SentAt = DateTimeOffset.UtcNow });
        await _host.WaitUntilAsync(caseId, c => c.Notices.Exists(n => n.Key == "acknowledgement" && n.SentAt is not null), "the acknowledgement recorded as sent");
        await _host.Bus.Publish(new DecideAuthority { CaseId = caseId, Actor = Dpo, Approved = true, Reason = "The signed authority letter covers this request." });
        await _host.WaitUntilAsync(caseId, c => c.Authority == AuthorityReview.Approved, "the agent's authority approved");
        await _host.Bus.Publish(new IdentityVerified { CaseId = caseId, Method = "email-link", VerifiedAt = DateTimeOffset.UtcNow });
        await _host.WaitForStateAsync(caseId, "Locating");
        await _host.Bus.Publish(new SubjectDataLocated
        {
            CaseId = caseId,
            Stores = Stores.Select((s, i) => new StoreFindings { StoreId = s, RowsPerEntity = new Dictionary<string, int> { ["people"] = 1, ["events"] = i + 1 } }).ToList(),
        });
        await _host.WaitForStateAsync(caseId, "Executing");
        for (var i = 0; i < Stores.Length; i++)
        {
            await _host.Bus.Publish(new StoreActionCompleted
            {
                CaseId = caseId, StoreId = Stores[i], Action = StoreActionKind.Erase, RowsAffected = i + 2, CompletedAt = completedAt[i],
            });
        }

        await _host.WaitForStateAsync(caseId, "Completed");
    }

    [GeneratedRegex(@"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")]
    private static partial Regex EmailPattern();
}
