using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Closely.Contracts;
using Closely.Intake.Clients;
using Closely.IntegrationTests.Cases;
using Closely.IntegrationTests.Infrastructure;
using static Closely.IntegrationTests.Intake.ClientTestSupport;

namespace Closely.IntegrationTests.Intake;

[Collection(PlatformServersCollection.Name)]
public sealed class ClientCallbackTests(PlatformServers servers)
{
    private static JsonElement Parse(ReceivedCallback callback) => JsonDocument.Parse(callback.Body).RootElement;

    [Fact]
    public async Task A_status_change_is_called_back_signed_and_the_signature_fails_for_a_tampered_body_or_an_old_timestamp()
    {
        await using var receiver = await ClientCallbackReceiver.StartAsync();
        var database = await PlatformDatabase.CreateAsync(servers, "client_callback");
        var vhost = await servers.CreateVirtualHostAsync("client-callback");
        await using var cases = await servers.StartCasesAsync(database, vhost);
        await using var host = await servers.StartIntakeAsync(database, vhost, options => options.Set(Clients(receiver.Url)));

        using var posted = await host.Client.SendAsync(Post(AcmeKey, "callback-1", Body()));
        Assert.Equal(HttpStatusCode.Accepted, posted.StatusCode);
        var accepted = await posted.Content.ReadFromJsonAsync<JsonElement>();
        var id = accepted.GetProperty("id").GetGuid();

        ReceivedCallback? callback = null;
        await TestSettings.EventuallyAsync(() =>
        {
            callback = receiver.Accepted.FirstOrDefault(c => Parse(c).GetProperty("status").GetString() == "awaiting-verification");
            return Task.FromResult(callback is not null);
        }, "the callback for awaiting-verification");

        var body = Parse(callback!);
        Assert.Equal("request.status-changed", body.GetProperty("event").GetString());
        Assert.Equal(id, body.GetProperty("requestId").GetGuid());
        Assert.Equal(accepted.GetProperty("reference").GetString(), body.GetProperty("reference").GetString());
        Assert.Equal(accepted.GetProperty("dueOn").GetString(), body.GetProperty("dueOn").GetString());
        Assert.False(body.GetProperty("extended").GetBoolean());
        Assert.Equal(JsonValueKind.Array, body.GetProperty("stores").ValueKind);
        Assert.True(body.GetProperty("version").GetInt32() >= 1);
        Assert.Equal("application/json", callback!.ContentType?.Split(';')[0]);
        var text = Encoding.UTF8.GetString(callback.Body);
        Assert.DoesNotContain(Email, text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("Hopper", text, StringComparison.OrdinalIgnoreCase);

        var now = DateTimeOffset.UtcNow;
        Assert.True(CallbackSignature.Verify(CallbackSecret, callback.Timestamp, callback.Body, callback.Signature, CallbackSignature.DefaultTolerance, now));
        var tampered = Encoding.UTF8.GetBytes(text.Replace("awaiting-verification", "completed", StringComparison.Ordinal));
        Assert.False(CallbackSignature.Verify(CallbackSecret, callback.Timestamp, tampered, callback.Signature, CallbackSignature.DefaultTolerance, now));
        Assert.False(CallbackSignature.Verify(CallbackSecret, callback.Timestamp, callback.Body, callback.Signature, CallbackSignature.DefaultTolerance, now.AddMinutes(10)));
        Assert.False(CallbackSignature.Verify("another-secret-of-at-least-32-chars!", callback.Timestamp, callback.Body, callback.Signature, CallbackSignature.DefaultTolerance, now));
    }

    [Fact]
    public async Task A_refused_callback_is_sent_again_until_the_client_takes_it()
    {
        await using var receiver = await ClientCallbackReceiver.StartAsync(refuseFirst: 5);
        var database = await PlatformDatabase.CreateAsync(servers, "client_callback_retry");
        var vhost = await servers.CreateVirtualHostAsync("client-callback-retry");
        await using var cases = await servers.StartCasesAsync(database, vhost);
        await using var host = await servers.StartIntakeAsync(database, vhost, options => options.Set(Clients(receiver.Url)));

        using var posted = await host.Client.SendAsync(Post(AcmeKey, "callback-retry", Body()));
        var id = (await posted.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();

        await TestSettings.EventuallyAsync(
            () => Task.FromResult(receiver.Accepted.Any(c => Parse(c).GetProperty("requestId").GetGuid() == id)),
            "the callback taken after five refusals",
            TimeSpan.FromSeconds(90));
        Assert.True(receiver.Calls.Count(c => !c.Accepted) >= 5);
        var taken = receiver.Accepted.First();
        Assert.True(CallbackSignature.Verify(CallbackSecret, taken.Timestamp, taken.Body, taken.Signature, CallbackSignature.DefaultTolerance, DateTimeOffset.UtcNow));
    }

    [Fact]
    public async Task Requests_from_other_channels_are_not_called_back()
    {
        await using var receiver = await ClientCallbackReceiver.StartAsync();
        var database = await PlatformDatabase.CreateAsync(servers, "client_callback_public");
        var vhost = await servers.CreateVirtualHostAsync("client-callback-public");
        await using var cases = await servers.StartCasesAsync(database, vhost);
        await using var host = await servers.StartIntakeAsync(database, vhost, options => options.Set(Clients(receiver.Url)));

        using var posted = await host.Client.PostAsJsonAsync(
            new Uri("/api/requests", UriKind.Relative),
            new { type = "erasure", email = Email, fullName = FullName });
        var id = (await posted.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
        await cases.WaitForStateAsync(id, "AwaitingVerification");
        await TestSettings.EventuallyAsync(
            async () => await CountAsync(database, "SELECT count(*) FROM intake.case_status") == 1, "Intake heard of the status change");

        // Both of Intake's consumers of the status change (the status and the callbacks) are done with it.
        await host.WaitForHandledAsync<CaseStatusChanged>(m => m.CaseId == id, count: 2);
        Assert.Empty(receiver.Calls);
    }

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("localhost")]
    public async Task Outside_development_a_callback_url_that_leads_to_a_loopback_address_is_refused_without_a_call(string host)
    {
        await using var receiver = await ClientCallbackReceiver.StartAsync();
        var logs = new CapturedLogs();
        var database = await PlatformDatabase.CreateAsync(servers, "client_callback_private");
        var vhost = await servers.CreateVirtualHostAsync("client-callback-private-" + host);
        await using var cases = await servers.StartCasesAsync(database, vhost);
        var url = new UriBuilder(receiver.Url) { Host = host }.Uri;
        await using var intake = await servers.StartIntakeAsync(database, vhost, options =>
        {
            options.Set(Clients(url));
            options.Settings["Intake:ClientCallbacks:AllowPrivateNetworks"] = "false";
            options.Logs = logs;
        });

        using var posted = await intake.Client.SendAsync(Post(AcmeKey, "callback-private-" + host, Body()));
        Assert.Equal(HttpStatusCode.Accepted, posted.StatusCode);
        var id = (await posted.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();

        // Refused before connecting, for good: the message goes to the error queue without retries.
        await TestSettings.EventuallyAsync(async () => await intake.MessagesInQueueAsync("client-callback_error") >= 1, "the refused callback in the error queue");
        Assert.Contains(logs.Lines, l => l.Contains("does not lead to a public address", StringComparison.Ordinal) && l.Contains(id.ToString(), StringComparison.Ordinal));
        Assert.Empty(receiver.Calls);
    }

    [Fact]
    public async Task A_callback_answered_with_a_redirect_is_a_failed_call_and_the_redirect_is_not_followed()
    {
        await using var receiver = await ClientCallbackReceiver.StartAsync();
        var logs = new CapturedLogs();
        var database = await PlatformDatabase.CreateAsync(servers, "client_callback_redirect");
        var vhost = await servers.CreateVirtualHostAsync("client-callback-redirect");
        await using var cases = await servers.StartCasesAsync(database, vhost);
        await using var intake = await servers.StartIntakeAsync(database, vhost, options =>
        {
            options.Set(Clients(receiver.RedirectUrl));
            options.Logs = logs;
        });

        using var posted = await intake.Client.SendAsync(Post(AcmeKey, "callback-redirect", Body()));
        var id = (await posted.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();

        // The consumer sees the 307 itself: whatever followed it would have come first.
        await TestSettings.EventuallyAsync(
            () => Task.FromResult(logs.Lines.Any(l => l.Contains("answered the callback", StringComparison.Ordinal) && l.Contains(id.ToString(), StringComparison.Ordinal) && l.Contains("307", StringComparison.Ordinal))),
            "the redirect logged as a refusal");
        Assert.True(receiver.Redirects >= 1);
        Assert.Empty(receiver.Calls);
    }
}
