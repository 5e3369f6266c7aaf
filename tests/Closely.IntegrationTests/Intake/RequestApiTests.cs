using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Closely.BuildingBlocks.Privacy;
using Closely.Contracts;
using Closely.IntegrationTests.Infrastructure;
using MassTransit;

namespace Closely.IntegrationTests.Intake;

[Collection(PlatformServersCollection.Name)]
public sealed class RequestApiTests(PlatformServers servers)
{
    private const string Email = "ada.lovelace@example.org";
    private const string FullName = "Ada Lovelace";
    private const string Details = "Please erase everything about me.";

    private static readonly object ValidRequest = new { type = "erasure", email = Email, fullName = FullName, details = Details };

    [Fact]
    public async Task A_valid_request_is_accepted_stored_encrypted_and_published_once()
    {
        var database = await PlatformDatabase.CreateAsync(servers, "intake_valid");
        var vhost = await servers.CreateVirtualHostAsync("intake-valid");
        await using var host = await servers.StartIntakeAsync(database, vhost);
        var received = await host.RecordAsync<DsrReceived>();

        var response = await host.Client.PostAsJsonAsync(new Uri("/api/requests", UriKind.Relative), ValidRequest);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        var id = body.GetProperty("id").GetGuid();
        var reference = body.GetProperty("reference").GetString()!;
        Assert.Matches("^DSR-[0-9]{4}-[2-9A-HJ-NP-Z]{6}$", reference);
        Assert.Equal("received", body.GetProperty("status").GetString());
        var receivedAt = body.GetProperty("receivedAt").GetDateTimeOffset();
        var dueAt = DateOnly.Parse(body.GetProperty("dueAt").GetString()!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(dueAt, DateOnly.FromDateTime(receivedAt.UtcDateTime).AddDays(27), DateOnly.FromDateTime(receivedAt.UtcDateTime).AddDays(40));
        var statusUrl = new Uri(body.GetProperty("statusUrl").GetString()!);
        Assert.Equal(statusUrl, response.Headers.Location);
        Assert.StartsWith($"http://127.0.0.1:5100/api/requests/{id}/status?token=", statusUrl.ToString(), StringComparison.Ordinal);

        var row = Assert.Single(await host.RawRowsAsync("requests"));
        Assert.Contains(id.ToString(), row, StringComparison.Ordinal);
        Assert.Contains(reference, row, StringComparison.Ordinal);
        Assert.Contains("\"channel\":\"Api\"", row, StringComparison.Ordinal);
        Assert.DoesNotContain(Email, row, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("Lovelace", row, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("erase everything", row, StringComparison.OrdinalIgnoreCase);
        Assert.EndsWith("&lang=en", statusUrl.Query, StringComparison.Ordinal);
        Assert.DoesNotContain(statusUrl.Query.Split("token=")[1].Split('&')[0], row, StringComparison.Ordinal);

        await TestSettings.EventuallyAsync(async () => await host.PublishedAtAsync(id) is not null && !received.IsEmpty, "DsrReceived published");
        // A few more outbox passes must not publish it again.
        Assert.Equal((0, 0), (await host.PublishPendingAsync(), await host.PublishPendingAsync()));
        Assert.Single(host.Published<DsrReceived>(m => m.CaseId == id));
        var message = Assert.Single(received);
        Assert.Equal(id, message.CaseId);
        Assert.Equal(reference, message.Reference);
        Assert.Equal(DataSubjectRight.Erasure, message.Right);
        Assert.Equal(IntakeChannel.Api, message.Channel);
        Assert.Equal(Email, message.RequesterEmail(servers.Protector()));
        Assert.Equal("en", message.Language);
        Assert.Equal(statusUrl, message.StatusUrl(servers.Protector()));
    }

    [Fact]
    public async Task A_request_sent_with_accept_language_german_is_answered_in_german()
    {
        var database = await PlatformDatabase.CreateAsync(servers, "intake_german");
        var vhost = await servers.CreateVirtualHostAsync("intake-german");
        await using var host = await servers.StartIntakeAsync(database, vhost);
        var received = await host.RecordAsync<DsrReceived>();

        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/api/requests", UriKind.Relative)) { Content = JsonContent.Create(ValidRequest) };
        request.Headers.AcceptLanguage.ParseAdd("de-AT, en;q=0.5");
        var response = await host.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var statusUrl = new Uri((await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("statusUrl").GetString()!);
        Assert.EndsWith("&lang=de", statusUrl.Query, StringComparison.Ordinal);
        Assert.Contains("\"language\":\"de\"", Assert.Single(await host.RawRowsAsync("requests")), StringComparison.Ordinal);
        await TestSettings.EventuallyAsync(() => Task.FromResult(!received.IsEmpty), "DsrReceived published");
        var message = Assert.Single(received);
        Assert.Equal("de", message.Language);
        Assert.Equal(statusUrl, message.StatusUrl(servers.Protector()));

        // The status link still answers an API client with JSON.
        var status = await host.Client.GetFromJsonAsync<JsonElement>(new Uri(statusUrl.PathAndQuery, UriKind.Relative));
        Assert.Equal("received", status.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Invalid_requests_are_rejected_naming_the_field_and_nothing_is_stored_or_published()
    {
        var database = await PlatformDatabase.CreateAsync(servers, "intake_invalid");
        var vhost = await servers.CreateVirtualHostAsync("intake-invalid");
        await using var host = await servers.StartIntakeAsync(database, vhost);
        var received = await host.RecordAsync<DsrReceived>();

        (object Body, string Field)[] cases =
        [
            (new { type = "erasure", email = "not-an-email", fullName = FullName }, "email"),
            (new { type = "erasure", email = Email + "x".PadLeft(260, 'x'), fullName = FullName }, "email"),
            (new { type = "erasure", email = Email, fullName = "Ada\r\nLovelace" }, "fullName"),
            (new { type = "erasure", email = Email, fullName = "Ada\u0000" }, "fullName"),
            (new { type = "erasure", email = "ada@example.org.", fullName = FullName }, "email"),
            (new { type = "forget-me", email = Email, fullName = FullName }, "type"),
            (new { type = "erasure", email = Email, fullName = FullName, details = new string('d', 4001) }, "details"),
        ];
        foreach (var (request, field) in cases)
        {
            var response = await host.Client.PostAsJsonAsync(new Uri("/api/requests", UriKind.Relative), request);

            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal(400, problem.GetProperty("status").GetInt32());
            Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), $"the problem names {field}");
        }

        var tooLarge = await host.Client.PostAsJsonAsync(
            new Uri("/api/requests", UriKind.Relative),
            new { type = "erasure", email = Email, fullName = FullName, details = new string('d', 17_000) });
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, tooLarge.StatusCode);
        Assert.Equal("application/problem+json", tooLarge.Content.Headers.ContentType?.MediaType);

        // Two outbox passes.
        Assert.Equal((0, 0), (await host.PublishPendingAsync(), await host.PublishPendingAsync()));
        Assert.Empty(await host.RawRowsAsync("requests"));
        Assert.Empty(host.Published<DsrReceived>());
        Assert.Empty(received);
    }

    [Fact]
    public async Task A_request_is_accepted_while_the_bus_is_unreachable_and_published_once_it_is_back()
    {
        var database = await PlatformDatabase.CreateAsync(servers, "intake_outbox");
        Guid id;
        await using (var offline = await servers.StartIntakeAsync(
            database, new Uri("amqp://closely:x@127.0.0.1:1/"), options => options.WaitUntilHealthy = false))
        {
            var response = await offline.Client.PostAsJsonAsync(new Uri("/api/requests", UriKind.Relative), ValidRequest);

            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
            id = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
            // An outbox pass while the bus is unreachable publishes nothing and leaves the request for a later one.
            Assert.Equal(0, await offline.PublishPendingAsync());
            Assert.Null(await offline.PublishedAtAsync(id));
        }

        var vhost = await servers.CreateVirtualHostAsync("intake-outbox");
        var received = new ConcurrentBag<DsrReceived>();
        var recorder = Bus.Factory.CreateUsingRabbitMq(rabbit =>
        {
            rabbit.Host(vhost);
            rabbit.ReceiveEndpoint($"test-recorder-dsr-received-{Guid.NewGuid():N}", endpoint =>
                endpoint.Handler<DsrReceived>(context =>
                {
                    received.Add(context.Message);
                    return Task.CompletedTask;
                }));
        });
        await recorder.StartAsync();
        try
        {
            await using var online = await servers.StartIntakeAsync(database, vhost);

            await TestSettings.EventuallyAsync(() => Task.FromResult(received.Any(m => m.CaseId == id)), "DsrReceived published after the bus came back");
            await TestSettings.EventuallyAsync(async () => await online.PublishedAtAsync(id) is not null, "request marked published");
        }
        finally
        {
            await recorder.StopAsync();
        }
    }

    [Fact]
    public async Task The_status_link_needs_its_token_and_shows_the_case_status()
    {
        var database = await PlatformDatabase.CreateAsync(servers, "intake_status");
        var vhost = await servers.CreateVirtualHostAsync("intake-status");
        await using var host = await servers.StartIntakeAsync(database, vhost);
        var response = await host.Client.PostAsJsonAsync(new Uri("/api/requests", UriKind.Relative), ValidRequest);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        var id = body.GetProperty("id").GetGuid();
        var reference = body.GetProperty("reference").GetString();
        var statusPath = new Uri(new Uri(body.GetProperty("statusUrl").GetString()!).PathAndQuery, UriKind.Relative);

        var wrong = await host.Client.GetAsync(new Uri($"/api/requests/{id}/status?token=wrong", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, wrong.StatusCode);
        Assert.Equal("application/problem+json", wrong.Content.Headers.ContentType?.MediaType);
        var missing = await host.Client.GetAsync(new Uri($"/api/requests/{id}/status", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);

        var initial = await host.Client.GetFromJsonAsync<JsonElement>(statusPath);
        Assert.Equal(reference, initial.GetProperty("reference").GetString());
        Assert.Equal("received", initial.GetProperty("status").GetString());
        Assert.Equal(body.GetProperty("dueAt").GetString(), initial.GetProperty("dueOn").GetString());
        Assert.DoesNotContain(Email, initial.GetRawText(), StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(FullName, initial.GetRawText(), StringComparison.OrdinalIgnoreCase);

        var dueOn = new DateOnly(2026, 12, 23);
        await host.Bus.Publish(new CaseStatusChanged
        {
            CaseId = id,
            State = "Executing",
            Right = DataSubjectRight.Erasure,
            DueOn = dueOn,
            Extended = false,
            Stores = [new StoreStatusView { StoreId = "hetzner-fsn", Status = "Pending" }],
            Version = 5,
        });

        JsonElement status = default;
        await TestSettings.EventuallyAsync(async () =>
        {
            status = await host.Client.GetFromJsonAsync<JsonElement>(statusPath);
            return status.GetProperty("status").GetString() == "executing";
        }, "status page showing the executing case");
        Assert.Equal("2026-12-23", status.GetProperty("dueOn").GetString());
        Assert.False(status.GetProperty("extended").GetBoolean());
        var store = Assert.Single(status.GetProperty("stores").EnumerateArray().ToList());
        Assert.Equal("hetzner-fsn", store.GetProperty("storeId").GetString());
        Assert.Equal("Pending", store.GetProperty("status").GetString());
    }

    [Fact]
    public async Task Too_many_requests_from_one_client_are_refused()
    {
        var database = await PlatformDatabase.CreateAsync(servers, "intake_ratelimit");
        var vhost = await servers.CreateVirtualHostAsync("intake-ratelimit");
        await using var host = await servers.StartIntakeAsync(
            database, vhost, options => options.Settings["Intake:RateLimit:PermitsPerMinute"] = "2");

        for (var i = 0; i < 2; i++)
        {
            var allowed = await host.Client.PostAsJsonAsync(new Uri("/api/requests", UriKind.Relative), ValidRequest);
            Assert.Equal(HttpStatusCode.Accepted, allowed.StatusCode);
        }

        var refused = await host.Client.PostAsJsonAsync(new Uri("/api/requests", UriKind.Relative), ValidRequest);

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal("application/problem+json", refused.Content.Headers.ContentType?.MediaType);
        var problem = await refused.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(429, problem.GetProperty("status").GetInt32());
        Assert.Equal(2, (await host.RawRowsAsync("requests")).Count);
    }
}
