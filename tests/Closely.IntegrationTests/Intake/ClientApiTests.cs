using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Closely.Contracts;
using Closely.IntegrationTests.Cases;
using Closely.IntegrationTests.Infrastructure;
using static Closely.IntegrationTests.Intake.ClientTestSupport;

namespace Closely.IntegrationTests.Intake;

[Collection(PlatformServersCollection.Name)]
public sealed class ClientApiTests(PlatformServers servers)
{
    [Fact]
    public async Task Calls_without_a_key_or_with_a_wrong_key_are_refused_with_a_problem_and_nothing_is_stored()
    {
        var database = await PlatformDatabase.CreateAsync(servers, "client_auth");
        var vhost = await servers.CreateVirtualHostAsync("client-auth");
        await using var host = await servers.StartIntakeAsync(database, vhost, options => options.Set(Clients()));

        HttpRequestMessage[] calls =
        [
            Post(null, "k-1", Body()),
            Post("acme-test-key-wrong", "k-2", Body()),
            Post(AcmeKey + " ", "k-3", Body()),
            Post(HashOf(AcmeKey), "k-4", Body()),
            Get(null, Guid.NewGuid()),
            Get("nope", Guid.NewGuid()),
        ];
        foreach (var call in calls)
        {
            using var response = await host.Client.SendAsync(call);

            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal(401, problem.GetProperty("status").GetInt32());
            Assert.Contains("X-Api-Key", response.Headers.WwwAuthenticate.ToString(), StringComparison.Ordinal);
        }

        // A request is stored before it is answered: the refused ones left nothing.
        Assert.Empty(await host.RawRowsAsync("requests"));
    }

    [Fact]
    public async Task The_same_idempotency_key_twice_makes_one_case_and_answers_with_the_first_request_while_another_body_is_refused()
    {
        var database = await PlatformDatabase.CreateAsync(servers, "client_idempotency");
        var vhost = await servers.CreateVirtualHostAsync("client-idempotency");
        await using var cases = await servers.StartCasesAsync(database, vhost);
        await using var host = await servers.StartIntakeAsync(database, vhost, options => options.Set(Clients()));

        using var first = await host.Client.SendAsync(Post(AcmeKey, "\"order-4711\"", Body()));
        using var second = await host.Client.SendAsync(Post(AcmeKey, "\"order-4711\"", Body()));

        Assert.Equal(HttpStatusCode.Accepted, first.StatusCode);
        Assert.Equal(HttpStatusCode.Accepted, second.StatusCode);
        var firstBody = await first.Content.ReadAsStringAsync();
        Assert.Equal(firstBody, await second.Content.ReadAsStringAsync());
        Assert.False(first.Headers.Contains("Idempotent-Replayed"));
        Assert.Equal("true", Assert.Single(second.Headers.GetValues("Idempotent-Replayed")));
        var accepted = JsonDocument.Parse(firstBody).RootElement;
        var id = accepted.GetProperty("id").GetGuid();
        Assert.Matches("^DSR-[0-9]{4}-[2-9A-HJ-NP-Z]{6}$", accepted.GetProperty("reference").GetString());
        Assert.Equal("received", accepted.GetProperty("status").GetString());
        Assert.Equal(new Uri($"/api/client/v1/requests/{id}", UriKind.Relative), first.Headers.Location);
        Assert.Equal(first.Headers.Location, second.Headers.Location);

        // Another client may use the same key for a request of its own.
        using var globex = await host.Client.SendAsync(Post(GlobexKey, "\"order-4711\"", Body()));
        Assert.Equal(HttpStatusCode.Accepted, globex.StatusCode);
        Assert.NotEqual(id, (await globex.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid());

        using var otherBody = await host.Client.SendAsync(Post(AcmeKey, "order-4711", Body("Something else entirely.")));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, otherBody.StatusCode);
        Assert.Equal("application/problem+json", otherBody.Content.Headers.ContentType?.MediaType);

        var acmeRows = (await host.RawRowsAsync("requests")).Where(r => r.Contains("\"client_id\":\"acme\"", StringComparison.Ordinal)).ToList();
        var row = Assert.Single(acmeRows);
        Assert.Contains("\"channel\":\"ClientApi\"", row, StringComparison.Ordinal);
        Assert.Contains("\"idempotency_key\":\"order-4711\"", row, StringComparison.Ordinal);
        Assert.DoesNotContain(Email, row, StringComparison.OrdinalIgnoreCase);
        await cases.WaitForStateAsync(id, "AwaitingVerification");
        await TestSettings.EventuallyAsync(
            async () => await CountAsync(database, "SELECT count(*) FROM cases.case_sagas") == 2, "the two clients' cases opened");
        // A few more outbox passes open no third case.
        Assert.Equal((0, 0), (await host.PublishPendingAsync(), await host.PublishPendingAsync()));
        Assert.Equal(2, host.Published<DsrReceived>().Count);
        await cases.WaitForHandledAsync<DsrReceived>(_ => true, count: 2);
        Assert.Equal(2, await CountAsync(database, "SELECT count(*) FROM cases.case_sagas"));
        Assert.Equal(2, await CountAsync(database, "SELECT count(*) FROM intake.requests"));
    }

    [Fact]
    public async Task Bad_calls_are_answered_with_problems_naming_what_is_wrong_and_nothing_is_stored()
    {
        var database = await PlatformDatabase.CreateAsync(servers, "client_problems");
        var vhost = await servers.CreateVirtualHostAsync("client-problems");
        await using var host = await servers.StartIntakeAsync(database, vhost, options => options.Set(Clients()));

        async Task<JsonElement> ProblemAsync(HttpRequestMessage call, HttpStatusCode status)
        {
            using var response = await host.Client.SendAsync(call);
            Assert.Equal(status, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal((int)status, problem.GetProperty("status").GetInt32());
            return problem;
        }

        await ProblemAsync(Post(AcmeKey, null, Body()), HttpStatusCode.BadRequest);
        await ProblemAsync(Post(AcmeKey, new string('k', 129), Body()), HttpStatusCode.BadRequest);
        await ProblemAsync(Post(AcmeKey, "\"unterminated", Body()), HttpStatusCode.BadRequest);

        (object Body, string Field)[] invalid =
        [
            (new { type = "erasure", email = "not-an-email", fullName = FullName }, "email"),
            (new { type = "erasure", email = Email, fullName = "Grace\nHopper" }, "fullName"),
            (new { type = "forget-me", email = Email, fullName = FullName }, "type"),
            (new { type = "erasure", email = Email, fullName = FullName, details = new string('d', 4001) }, "details"),
        ];
        foreach (var (body, field) in invalid)
        {
            var problem = await ProblemAsync(Post(AcmeKey, $"invalid-{field}", JsonContent.Create(body)), HttpStatusCode.BadRequest);
            Assert.True(problem.GetProperty("errors").TryGetProperty(field, out _), $"the problem names {field}");
        }

        var notJson = await ProblemAsync(Post(AcmeKey, "not-json", new StringContent("{ nope", Encoding.UTF8, "application/json")), HttpStatusCode.BadRequest);
        Assert.True(notJson.GetProperty("errors").TryGetProperty("body", out _));

        await ProblemAsync(Post(AcmeKey, "too-large", Body(new string('d', 17_000))), HttpStatusCode.RequestEntityTooLarge);
        await ProblemAsync(Post(AcmeKey, "text", new StringContent("type=erasure", Encoding.UTF8, "text/plain")), HttpStatusCode.UnsupportedMediaType);
        await ProblemAsync(Post(AcmeKey, "no-type", new ByteArrayContent(Encoding.UTF8.GetBytes("{}"))), HttpStatusCode.UnsupportedMediaType);
        await ProblemAsync(new HttpRequestMessage(HttpMethod.Delete, new Uri($"{Requests}/{Guid.NewGuid()}", UriKind.Relative)), HttpStatusCode.MethodNotAllowed);
        await ProblemAsync(new HttpRequestMessage(HttpMethod.Get, new Uri("/api/client/v1/nothing-here", UriKind.Relative)), HttpStatusCode.NotFound);

        // A request is stored before it is answered: the refused ones left nothing.
        Assert.Empty(await host.RawRowsAsync("requests"));
    }

    [Fact]
    public async Task An_unexpected_failure_is_answered_with_a_problem_that_gives_nothing_away()
    {
        // A database without Intake's tables: storing the request fails.
        var database = await servers.CreateDatabaseAsync("client_failure");
        var vhost = await servers.CreateVirtualHostAsync("client-failure");
        await using var host = await servers.StartIntakeAsync(database, vhost, options => options.Set(Clients()).WaitUntilHealthy = false);

        using var response = await host.Client.SendAsync(Post(AcmeKey, "fails", Body()));

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var text = await response.Content.ReadAsStringAsync();
        Assert.Equal(500, JsonDocument.Parse(text).RootElement.GetProperty("status").GetInt32());
        Assert.DoesNotContain("requests", text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("Exception", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_client_reads_the_status_of_its_own_requests_and_not_of_another_clients()
    {
        var database = await PlatformDatabase.CreateAsync(servers, "client_read");
        var vhost = await servers.CreateVirtualHostAsync("client-read");
        await using var cases = await servers.StartCasesAsync(database, vhost);
        await using var host = await servers.StartIntakeAsync(database, vhost, options => options.Set(Clients()));
        using var posted = await host.Client.SendAsync(Post(AcmeKey, "read-1", Body()));
        var accepted = await posted.Content.ReadFromJsonAsync<JsonElement>();
        var id = accepted.GetProperty("id").GetGuid();
        await cases.WaitForStateAsync(id, "AwaitingVerification");

        JsonElement status = default;
        await TestSettings.EventuallyAsync(async () =>
        {
            using var response = await host.Client.SendAsync(Get(AcmeKey, id));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            status = await response.Content.ReadFromJsonAsync<JsonElement>();
            return status.GetProperty("status").GetString() == "awaiting-verification";
        }, "the case status read by its client");
        Assert.Equal(accepted.GetProperty("reference").GetString(), status.GetProperty("reference").GetString());
        Assert.Equal(accepted.GetProperty("dueOn").GetString(), status.GetProperty("dueOn").GetString());
        Assert.True(status.GetProperty("version").GetInt32() >= 1);
        Assert.DoesNotContain(Email, status.GetRawText(), StringComparison.OrdinalIgnoreCase);

        foreach (var call in new[] { Get(GlobexKey, id), Get(AcmeKey, Guid.NewGuid()) })
        {
            using var response = await host.Client.SendAsync(call);
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        }
    }

    [Fact]
    public async Task Each_client_has_its_own_rate_limit_and_an_exceeded_one_is_answered_with_a_problem()
    {
        var database = await PlatformDatabase.CreateAsync(servers, "client_rate");
        var vhost = await servers.CreateVirtualHostAsync("client-rate");
        await using var host = await servers.StartIntakeAsync(database, vhost, options => options.Set(Clients(permitsPerMinute: 2)));

        for (var i = 0; i < 2; i++)
        {
            using var allowed = await host.Client.SendAsync(Get(AcmeKey, Guid.NewGuid()));
            Assert.Equal(HttpStatusCode.NotFound, allowed.StatusCode);
        }

        using var limited = await host.Client.SendAsync(Get(AcmeKey, Guid.NewGuid()));
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.Equal("application/problem+json", limited.Content.Headers.ContentType?.MediaType);
        Assert.Equal(TimeSpan.FromMinutes(1), limited.Headers.RetryAfter?.Delta);

        using var otherClient = await host.Client.SendAsync(Get(GlobexKey, Guid.NewGuid()));
        Assert.Equal(HttpStatusCode.NotFound, otherClient.StatusCode);
    }

    [Fact]
    public async Task The_OpenAPI_document_describes_the_client_api_with_its_key_scheme_and_the_public_request_api()
    {
        var database = await PlatformDatabase.CreateAsync(servers, "client_openapi");
        var vhost = await servers.CreateVirtualHostAsync("client-openapi");
        await using var host = await servers.StartIntakeAsync(database, vhost, options => options.Set(Clients()));

        using var response = await host.Client.GetAsync(new Uri("/openapi/v1.json", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var document = await response.Content.ReadFromJsonAsync<JsonElement>();
        var paths = document.GetProperty("paths");
        var submit = paths.GetProperty("/api/client/v1/requests").GetProperty("post");
        Assert.True(paths.GetProperty("/api/client/v1/requests/{id}").TryGetProperty("get", out _));
        Assert.True(paths.GetProperty("/api/requests").GetProperty("post").TryGetProperty("requestBody", out _));
        Assert.False(paths.TryGetProperty("/health", out _));
        Assert.True(submit.TryGetProperty("requestBody", out _));
        Assert.Contains(submit.GetProperty("parameters").EnumerateArray(), p => p.GetProperty("name").GetString() == "Idempotency-Key");
        Assert.True(submit.GetProperty("security")[0].TryGetProperty("ClientApiKey", out _));
        var scheme = document.GetProperty("components").GetProperty("securitySchemes").GetProperty("ClientApiKey");
        Assert.Equal("apiKey", scheme.GetProperty("type").GetString());
        Assert.Equal("header", scheme.GetProperty("in").GetString());
        Assert.Equal("X-Api-Key", scheme.GetProperty("name").GetString());
    }
}
