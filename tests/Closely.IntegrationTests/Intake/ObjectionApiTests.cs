using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Closely.Contracts;
using Closely.IntegrationTests.Infrastructure;

namespace Closely.IntegrationTests.Intake;

/// <summary>
/// Objections through the request API: to direct marketing (<c>objectionScope: direct-marketing</c>) the address goes on
/// the suppression list and <see cref="SubjectObjected"/> goes downstream at once; any other objection is published with
/// the ground objection pending, so the case restricts the data under Art 18(1)(d) while the DPO decides.
/// </summary>
[Collection(PlatformServersCollection.Name)]
public sealed class ObjectionApiTests(PlatformServers servers)
{
    [Fact]
    public async Task An_objection_to_direct_marketing_is_suppressed_and_another_objection_is_restricted_pending_the_dpo()
    {
        var database = await PlatformDatabase.CreateAsync(servers, "intake_objection");
        var vhost = await servers.CreateVirtualHostAsync("intake-objection");
        await using var host = await servers.StartIntakeAsync(database, vhost);
        var received = await host.RecordAsync<DsrReceived>();
        var objected = await host.RecordAsync<SubjectObjected>();

        var marketing = await SubmitAsync(host, "grace.hopper@example.org", "direct-marketing");
        var other = await SubmitAsync(host, "alan.turing@example.org", null);

        var suppression = Assert.Single(await host.RawRowsAsync("suppressions"));
        Assert.Contains($"\"email_index\":\"\\\\x{Convert.ToHexStringLower(servers.Protector().EmailIndex("grace.hopper@example.org"))}\"", suppression, StringComparison.Ordinal);
        Assert.Contains("\"scope\":\"direct-marketing\"", suppression, StringComparison.Ordinal);

        await TestSettings.EventuallyAsync(() => Task.FromResult(received.Count == 2 && !objected.IsEmpty), "both requests and the objection published");
        Assert.Equal(marketing, Assert.Single(objected).CaseId);
        Assert.Null(Assert.Single(received, r => r.CaseId == marketing).RestrictionGround);
        var restricted = Assert.Single(received, r => r.CaseId == other);
        Assert.Equal((DataSubjectRight.Objection, RestrictionGround.ObjectionPending), (restricted.Right, restricted.RestrictionGround));
    }

    [Fact]
    public async Task An_objection_scope_with_another_right_or_an_unknown_scope_is_refused()
    {
        var database = await PlatformDatabase.CreateAsync(servers, "intake_objection_invalid");
        var vhost = await servers.CreateVirtualHostAsync("intake-objection-invalid");
        await using var host = await servers.StartIntakeAsync(database, vhost);

        foreach (var (type, scope) in new[] { ("erasure", "direct-marketing"), ("objection", "everything") })
        {
            using var response = await host.Client.PostAsJsonAsync(new Uri("/api/requests", UriKind.Relative),
                new { type, email = "ada@example.org", fullName = "Ada", objectionScope = scope });
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Contains("objectionScope", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }

        Assert.Empty(await host.RawRowsAsync("requests"));
        Assert.Empty(await host.RawRowsAsync("suppressions"));
    }

    private static async Task<Guid> SubmitAsync(ServiceHost<Closely.Intake.IntakeOptions> host, string email, string? scope)
    {
        using var response = await host.Client.PostAsJsonAsync(new Uri("/api/requests", UriKind.Relative),
            new { type = "objection", email, fullName = "Requester", details = "I object.", objectionScope = scope });
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
    }
}
