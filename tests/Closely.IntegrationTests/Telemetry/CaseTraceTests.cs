using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Closely.Cases;
using Closely.Identity.Persistence;
using Closely.Intake;
using Closely.IntegrationTests.Infrastructure;
using Npgsql;

namespace Closely.IntegrationTests.Telemetry;

/// <summary>
/// One trace follows a case across the services: Intake, Cases and Identity in-process on one database
/// and one virtual host, with a listener for the ASP.NET Core, MassTransit and Closely activity sources.
/// </summary>
[Collection(PlatformServersCollection.Name)]
public sealed class CaseTraceTests(PlatformServers servers) : IAsyncLifetime
{
    private readonly ConcurrentQueue<Activity> _activities = new();
    private ActivityListener _listener = null!;
    private Uri _vhost = null!;
    private ServiceGroup _services = null!;
    private ServiceHost<IntakeOptions> _intake = null!;

    public async Task InitializeAsync()
    {
        _listener = new ActivityListener
        {
            ShouldListenTo = source => source.Name is "Microsoft.AspNetCore" or "MassTransit" or Microsoft.Extensions.Hosting.Extensions.TelemetrySourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
            ActivityStopped = _activities.Enqueue,
        };
        ActivitySource.AddActivityListener(_listener);

        var database = await PlatformDatabase.CreateAsync(servers, "trace");
        _vhost = await servers.CreateVirtualHostAsync("trace");
        _services = new ServiceGroup(servers, database, _vhost, options => options.Settings["Intake:OutboxInterval"] = "00:00:00.500");
        _intake = await _services.StartAsync<IntakeOptions>();
        await _services.StartAsync<IdentityDbContext>();
        await _services.StartAsync<CasesOptions>();
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        _listener.Dispose();
        await servers.DeleteVirtualHostAsync(_vhost);
    }

    [Fact]
    public async Task The_request_api_call_and_the_consumers_of_its_case_in_cases_and_identity_share_one_trace()
    {
        using var response = await _intake.Client.PostAsJsonAsync(new Uri("/api/requests", UriKind.Relative), new
        {
            type = "erasure",
            email = "jane.doe@example.com",
            fullName = "Jane Doe",
        });
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var caseId = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();

        // The HTTP request's own activity: the one whose id Intake stored with the request.
        var traceParent = await TraceParentAsync(caseId);
        var http = Assert.Single(_activities, a => a.Source.Name == "Microsoft.AspNetCore" && a.Id == traceParent);
        Assert.Equal(ActivityKind.Server, http.Kind);
        var traceId = http.TraceId;

        // The same trace carries on through the outbox, RabbitMQ and both consumers.
        await TestSettings.EventuallyAsync(
            () => Task.FromResult(Consumed("DsrReceived").Any() && Consumed("VerifyIdentity").Any()),
            "DsrReceived and VerifyIdentity consumed");
        Assert.True(Consumed("DsrReceived").Any(a => ConsumerOf(a) == "CaseStateMachine"), "the case saga consumed DsrReceived:\n" + Describe());
        Assert.True(Consumed("VerifyIdentity").Any(a => ConsumerOf(a) == "Closely.Identity.Verification.VerifyIdentityConsumer"), "Identity consumed VerifyIdentity:\n" + Describe());
        Assert.All(Consumed("DsrReceived"), a => Assert.Equal(traceId, a.TraceId));
        Assert.All(Consumed("VerifyIdentity"), a => Assert.Equal(traceId, a.TraceId));
        Assert.Contains(_activities, a => a.Source.Name == Microsoft.Extensions.Hosting.Extensions.TelemetrySourceName
            && a.OperationName == "intake publish" && a.TraceId == traceId);
    }

    /// <summary>MassTransit's consume ("process") activities of one message type, from any of the three services.</summary>
    private IEnumerable<Activity> Consumed(string messageType) =>
        _activities.Where(a => a.Source.Name == "MassTransit"
            && a.Kind == ActivityKind.Consumer
            && a.GetTagItem("messaging.operation") as string == "process"
            && a.GetTagItem("messaging.masstransit.message_types") as string == "urn:message:Closely.Contracts:" + messageType);

    private static string? ConsumerOf(Activity activity) => activity.GetTagItem("messaging.masstransit.consumer_type") as string;

    private string Describe() => string.Join('\n', _activities.Where(a => a.Source.Name == "MassTransit").Take(30)
        .Select(a => $"{a.Kind} {a.DisplayName} {a.TraceId} [{string.Join(", ", a.TagObjects.Select(t => $"{t.Key}={t.Value}"))}]"));

    private async Task<string?> TraceParentAsync(Guid caseId)
    {
        await using var connection = new NpgsqlConnection(_intake.Database);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT trace_parent FROM intake.requests WHERE id = @id", connection);
        command.Parameters.AddWithValue("id", caseId);
        var traceParent = await command.ExecuteScalarAsync() as string;
        // A W3C traceparent: version, trace id, parent (span) id, flags.
        Assert.Matches("^00-[0-9a-f]{32}-[0-9a-f]{16}-0[0-9a-f]$", traceParent);
        return traceParent;
    }
}
