using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Web;
using Closely.Cases;
using Closely.Cases.Saga;
using Closely.Identity.Persistence;
using Closely.Intake;
using Closely.IntegrationTests.Cases;
using Closely.IntegrationTests.Infrastructure;
using Closely.IntegrationTests.Stores;
using Closely.ServiceProcesses;
using Closely.Stores.Samples;

namespace Closely.IntegrationTests.EndToEnd;

/// <summary>
/// The six services, the sample stores and a tap — a queue bound to every exchange of the run's virtual host — while the
/// demo subject's erasure runs from the API through the emailed link to its end and a rectification request with
/// corrections arrives: no message body the broker carried holds an address, the name, what the requester wrote, a
/// correction, or a token of the emailed and returned links (ADR 38).
/// </summary>
[Collection(PlatformServersCollection.Name)]
public sealed class NoPersonalDataOnTheBusTests(PlatformServers servers) : IAsyncLifetime
{
    private ServiceGroup _services = null!;
    private Uri _vhost = null!;
    private BusTap _tap = null!;
    private ServiceHost<IntakeOptions> _intake = null!;
    private ServiceHost<IdentityDbContext> _identity = null!;
    private ServiceHost<CasesOptions> _cases = null!;

    public async Task InitializeAsync()
    {
        var database = await PlatformDatabase.CreateAsync(servers, "bus_privacy");
        _vhost = await servers.CreateVirtualHostAsync("bus-privacy");
        var stores = await TestStores.CreateAsync(servers);
        // The tap binds each exchange as it appears, from before the first service declares any.
        _tap = await BusTap.StartAsync(servers, _vhost);
        _services = new ServiceGroup(servers, database, _vhost, options => options.Set(stores.Settings).Settings["Intake:OutboxInterval"] = "00:00:00.500");
        (_intake, _identity, _cases) = await _services.StartRequestPathAsync();
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        await _tap.DisposeAsync();
        await servers.DeleteVirtualHostAsync(_vhost);
    }

    [Fact]
    public async Task An_erasure_run_to_its_end_and_a_rectification_request_put_no_personal_data_or_token_in_any_message_body()
    {
        var unique = Guid.NewGuid().ToString("N")[..10];
        var details = $"Please erase everything, reference note {unique}.";
        using var intake = _intake.CreateClient();
        using var response = await intake.PostAsJsonAsync(new Uri("/api/requests", UriKind.Relative), new
        {
            type = "erasure",
            email = SampleStores.DemoEmail,
            fullName = "Jane Doe",
            details,
        });
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var accepted = await response.Content.ReadFromJsonAsync<JsonElement>();
        var caseId = accepted.GetProperty("id").GetGuid();
        var statusLink = new Uri(accepted.GetProperty("statusUrl").GetString()!);
        var link = await ErasureEndToEndTests.VerificationLinkAsync(accepted.GetProperty("reference").GetString()!);
        using var browser = _identity.CreateClient();
        var page = await (await browser.GetAsync(new Uri(link.PathAndQuery, UriKind.Relative))).Content.ReadAsStringAsync();
        await HtmlForms.SubmitAsync(browser, page, HttpStatusCode.OK);
        await _cases.WaitForStateAsync(caseId, CaseStates.Completed, TimeSpan.FromSeconds(90));

        var rectifier = $"rectify.{unique}@example.org";
        var correction = $"Chief Tapper {unique}";
        using var rectification = await intake.PostAsJsonAsync(new Uri("/api/requests", UriKind.Relative), new
        {
            type = "rectification",
            email = rectifier,
            fullName = $"Rhea Rectifix{unique}",
            corrections = new[] { new { field = "jobTitle", current = "Head of Data", correction } },
        });
        Assert.Equal(HttpStatusCode.Accepted, rectification.StatusCode);
        var rectifiedLink = MailedLinks.Verification().Match((await MailDev.MailToAsync(rectifier, m => MailedLinks.Verification().IsMatch(m.Text), "the rectifier's verification email")).Text).Value;

        // The tap saw the run's traffic: the request, the commands of each step, the notices and their reports...
        string[] expected = ["DsrReceived", "VerifyIdentity", "SendNotification", "NotificationSent", "IdentityVerified", "LocateSubjectData",
            "SubjectDataLocated", "ExecuteStoreAction", "StoreActionCompleted", "CaseStatusChanged"];
        IReadOnlyCollection<TappedMessage> tapped = [];
        await TestSettings.EventuallyAsync(
            async () => (tapped = await _tap.DrainAsync()).Select(m => m.Type).ToHashSet() is var types && expected.All(types.Contains)
                && tapped.Count(m => m.Type == "DsrReceived" && m.Text.Contains("sealedCorrections", StringComparison.Ordinal)) > 0,
            "the run's messages in the tap (seen: " + string.Join(", ", tapped.Select(m => m.Type).Distinct()) + ")");

        // ...and none of the bodies holds an address, a name, the requester's text, a correction or a token.
        string[] secrets =
        [
            SampleStores.DemoEmail, "Jane Doe", details, unique, rectifier, correction,
            Token(link), Token(link).Split('.')[1], Token(new Uri(rectifiedLink)), Token(statusLink),
        ];
        var leaks = tapped.Where(m => secrets.Any(secret => m.Text.Contains(secret, StringComparison.OrdinalIgnoreCase))).ToList();
        Assert.True(leaks.Count == 0, $"personal data or a token in {leaks.Count} of {tapped.Count} message bodies:\n"
            + string.Join('\n', leaks.Take(5).Select(m => $"{m.Type} via {m.Exchange}: {m.Text[..Math.Min(m.Text.Length, 2000)]}")));
    }

    private static string Token(Uri link) => HttpUtility.ParseQueryString(link.Query)["token"]!;
}
