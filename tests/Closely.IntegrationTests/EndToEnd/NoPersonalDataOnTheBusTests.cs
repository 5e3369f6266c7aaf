using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
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
using Microsoft.AspNetCore.Mvc.Testing;

namespace Closely.IntegrationTests.EndToEnd;

/// <summary>
/// The six services, the sample stores and a tap — a queue bound to every exchange of the run's virtual host — while the
/// demo subject's erasure runs from the API through the emailed link to its end, a rectification request with
/// corrections and an agent's request with a written authority arrive: no message body the broker carried holds an
/// address, a name, what the requester wrote, a correction, a token of the emailed and returned links, or the document (ADR 38).
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
    public async Task An_erasure_run_to_its_end_a_rectification_and_an_agents_request_put_no_personal_data_token_or_document_in_any_message_body()
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

        // An agent's request through the privacy centre's form, with the written authority.
        var subject = $"subject.{unique}@example.org";
        var agent = $"agent.{unique}@example.net";
        var authority = Encoding.ASCII.GetBytes($"%PDF-1.4\n1 0 obj << /Title (Authority of Sabine Subjecta{unique} for Agnes Agentia{unique}) >> endobj\n%%EOF\n");
        using var form = _intake.CreateClient(new WebApplicationFactoryClientOptions { AllowAutoRedirect = false });
        using var fields = new MultipartFormDataContent
        {
            { new StringContent(await HtmlForms.AntiforgeryTokenAsync(form)), "__RequestVerificationToken" },
            { new StringContent("access"), "Right" },
            { new StringContent("agent"), "ActingFor" },
            { new StringContent($"Sabine Subjecta{unique}"), "SubjectFullName" },
            { new StringContent(subject), "SubjectEmail" },
            { new StringContent($"Agnes Agentia{unique}"), "AgentFullName" },
            { new StringContent(agent), "AgentEmail" },
        };
        var file = new ByteArrayContent(authority);
        file.Headers.ContentType = new MediaTypeHeaderValue("application/pdf");
        fields.Add(file, "Authority", $"authority-{unique}.pdf");
        using (var sent = await form.PostAsync(new Uri("/", UriKind.Relative), fields))
        {
            Assert.Equal(HttpStatusCode.Redirect, sent.StatusCode);
        }

        // The tap saw the run's traffic: the request, the commands of each step, the notices and their reports...
        string[] expected = ["DsrReceived", "VerifyIdentity", "SendNotification", "NotificationSent", "IdentityVerified", "LocateSubjectData",
            "SubjectDataLocated", "ExecuteStoreAction", "StoreActionCompleted", "CaseStatusChanged"];
        IReadOnlyCollection<TappedMessage> tapped = [];
        await TestSettings.EventuallyAsync(
            async () => (tapped = await _tap.DrainAsync()).Select(m => m.Type).ToHashSet() is var types && expected.All(types.Contains)
                && tapped.Any(m => m.Type == "DsrReceived" && m.Carries("sealedCorrections"))
                && tapped.Any(m => m.Type == "DsrReceived" && m.Carries("sealedAgentAuthority"))
                && tapped.Count(m => m.Type == "SendNotification") >= 6,
            "the run's messages of every main type in the tap, with the corrections and the authority");

        // ...and none of the bodies holds an address, a name, the requester's text, a correction, a token or the document.
        string[] secrets =
        [
            SampleStores.DemoEmail, "Jane Doe", details, unique, rectifier, correction,
            Token(link), Token(link).Split('.')[1], Token(new Uri(rectifiedLink)), Token(statusLink),
            subject, agent, Convert.ToBase64String(authority), Convert.ToBase64String(authority)[..40], "%PDF-1.4",
        ];
        var leaks = tapped.Where(m => secrets.Any(secret => m.Text.Contains(secret, StringComparison.OrdinalIgnoreCase))).ToList();
        Assert.True(leaks.Count == 0, $"personal data or a token in {leaks.Count} of {tapped.Count} message bodies:\n"
            + string.Join('\n', leaks.Take(5).Select(m => $"{m.Type} via {m.Exchange}: {m.Text[..Math.Min(m.Text.Length, 2000)]}")));
    }

    private static string Token(Uri link) => HttpUtility.ParseQueryString(link.Query)["token"]!;
}
