using System.Diagnostics;
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
using OpenTelemetry.Logs;
using OpenTelemetry.Trace;

namespace Closely.IntegrationTests.EndToEnd;

/// <summary>
/// The six services and the sample stores, started once, with every service logging at Debug (ASP.NET Core's and EF
/// Core's categories included), every span and OpenTelemetry log record captured by an in-memory exporter in each
/// service, and a tap — a queue bound to every exchange of the run's virtual host. One run: a request verified through
/// the emailed link to its end and its status link opened, the demo subject's erasure run to its end, a rectification
/// with corrections and an agent's request with a written authority. No message body the broker carried, no span and
/// no log line holds an address, a name, what the requester wrote, a correction, a token of the emailed and returned
/// links, or the document (ADR 33, ADR 38).
/// </summary>
[Collection(PlatformServersCollection.Name)]
public sealed class NoPersonalDataLeavesTheProcessTests(PlatformServers servers) : IAsyncLifetime
{
    private readonly CapturedLogs _logs = new();
    private readonly List<Activity> _spans = [];
    private readonly List<LogRecord> _records = [];
    private ServiceGroup _services = null!;
    private Uri _vhost = null!;
    private BusTap _tap = null!;
    private ServiceHost<IntakeOptions> _intake = null!;
    private ServiceHost<IdentityDbContext> _identity = null!;
    private ServiceHost<CasesOptions> _cases = null!;

    public async Task InitializeAsync()
    {
        var database = await PlatformDatabase.CreateAsync(servers, "no_personal_data");
        _vhost = await servers.CreateVirtualHostAsync("no-personal-data");
        var stores = await TestStores.CreateAsync(servers);
        // The tap binds each exchange as it appears, from before the first service declares any.
        _tap = await BusTap.StartAsync(servers, _vhost);
        _services = new ServiceGroup(servers, database, _vhost, options =>
        {
            options.Set(stores.Settings).Settings["Intake:OutboxInterval"] = "00:00:00.500";
            // As verbose as an operator chasing a fault would make it.
            options.Settings["Logging:LogLevel:Default"] = "Debug";
            options.Settings["Logging:LogLevel:Microsoft.AspNetCore"] = "Debug";
            options.Settings["Logging:LogLevel:Microsoft.AspNetCore.Hosting.Diagnostics"] = "Debug";
            options.Settings["Logging:LogLevel:Microsoft.EntityFrameworkCore"] = "Debug";
            // The captured logs and log records get all of it; the test run's console only what goes wrong.
            options.Settings["Logging:Console:LogLevel:Default"] = "Warning";
            options.Logs = _logs;
            options.TestServices = services => services
                .ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddInMemoryExporter(_spans))
                .ConfigureOpenTelemetryLoggerProvider(logging => logging.AddInMemoryExporter(_records));
        });
        (_intake, _identity, _cases) = await _services.StartRequestPathAsync();
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        await _tap.DisposeAsync();
        await servers.DeleteVirtualHostAsync(_vhost);
    }

    [Fact]
    public async Task A_run_of_requests_to_their_end_puts_no_personal_data_token_or_document_in_any_message_body_span_or_log()
    {
        var unique = Guid.NewGuid().ToString("N")[..10];
        using var intake = _intake.CreateClient();
        using var browser = _identity.CreateClient();

        // A request through the API, its emailed link opened and confirmed, the case completed, the status link opened.
        var email = $"telemetry.{unique}@example.org";
        var name = $"Quirinus Telemetrix{unique}";
        using var response = await intake.PostAsJsonAsync(new Uri("/api/requests", UriKind.Relative), new
        {
            type = "automated-decision-information",
            email,
            fullName = name,
            details = $"Which automated decisions concern {name}?",
        });
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var accepted = await response.Content.ReadFromJsonAsync<JsonElement>();
        var caseId = accepted.GetProperty("id").GetGuid();
        var reference = accepted.GetProperty("reference").GetString()!;
        var statusLink = new Uri(accepted.GetProperty("statusUrl").GetString()!);
        var mail = await MailDev.MailToAsync(email, m => m.Text.Contains(reference, StringComparison.Ordinal) && MailedLinks.Verification().IsMatch(m.Text), "the verification email");
        var link = new Uri(MailedLinks.Verification().Match(mail.Text).Value);
        await HtmlForms.ConfirmLinkAsync(browser, link);
        await _cases.WaitForStateAsync(caseId, CaseStates.Completed, TimeSpan.FromSeconds(60));
        Assert.Equal(HttpStatusCode.OK, (await intake.GetAsync(new Uri(statusLink.PathAndQuery, UriKind.Relative))).StatusCode);

        // The demo subject's erasure from the API through the emailed link to its end.
        var details = $"Please erase everything, reference note {unique}.";
        using var erasure = await intake.PostAsJsonAsync(new Uri("/api/requests", UriKind.Relative), new
        {
            type = "erasure",
            email = SampleStores.DemoEmail,
            fullName = "Jane Doe",
            details,
        });
        Assert.Equal(HttpStatusCode.Accepted, erasure.StatusCode);
        var erasureAccepted = await erasure.Content.ReadFromJsonAsync<JsonElement>();
        var erasureId = erasureAccepted.GetProperty("id").GetGuid();
        var erasureStatusLink = new Uri(erasureAccepted.GetProperty("statusUrl").GetString()!);
        var erasureLink = await ErasureEndToEndTests.VerificationLinkAsync(erasureAccepted.GetProperty("reference").GetString()!);
        await HtmlForms.ConfirmLinkAsync(browser, erasureLink);
        await _cases.WaitForStateAsync(erasureId, CaseStates.Completed, TimeSpan.FromSeconds(90));

        // A rectification with a correction.
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

        // The tap saw the run's traffic: the requests, the commands of each step, the notices and their reports...
        string[] expected = ["DsrReceived", "VerifyIdentity", "SendNotification", "NotificationSent", "IdentityVerified", "LocateSubjectData",
            "SubjectDataLocated", "ExecuteStoreAction", "StoreActionCompleted", "CaseStatusChanged"];
        IReadOnlyCollection<TappedMessage> tapped = [];
        await TestSettings.EventuallyAsync(
            async () => (tapped = await _tap.DrainAsync()).Select(m => m.Type).ToHashSet() is var types && expected.All(types.Contains)
                && tapped.Any(m => m.Type == "DsrReceived" && m.Carries("sealedCorrections"))
                && tapped.Any(m => m.Type == "DsrReceived" && m.Carries("sealedAgentAuthority"))
                && tapped.Count(m => m.Type == "SendNotification") >= 6,
            "the run's messages of every main type in the tap, with the corrections and the authority");

        // ...the spans and logs of the run are there (the Identity page's confirmation, the first case's reference)...
        await TestSettings.EventuallyAsync(
            () => Task.FromResult(Spans().Any(s => s.Contains("/verify", StringComparison.Ordinal) && s.Contains("POST", StringComparison.Ordinal))),
            "the span of the confirmation's POST");
        Assert.Contains(LogTexts(), l => l.Contains(reference, StringComparison.Ordinal) || l.Contains(caseId.ToString(), StringComparison.Ordinal));

        // ...and none of the bodies, spans or log lines holds an address, a name, a requester's text, a correction, a
        // token (nor the signature part of a link's) or the document.
        string[] secrets =
        [
            email, name, $"Telemetrix{unique}", Token(link), Token(link).Split('.')[1], Token(statusLink),
            SampleStores.DemoEmail, "Jane Doe", details, unique, rectifier, correction,
            Token(erasureLink), Token(erasureLink).Split('.')[1], Token(new Uri(rectifiedLink)), Token(erasureStatusLink),
            subject, agent, Convert.ToBase64String(authority), Convert.ToBase64String(authority)[..40], "%PDF-1.4",
        ];
        var bodyLeaks = tapped.Where(m => secrets.Any(secret => m.Text.Contains(secret, StringComparison.OrdinalIgnoreCase))).ToList();
        var telemetry = Spans().Concat(LogTexts()).ToList();
        var telemetryLeaks = telemetry.Where(text => secrets.Any(secret => text.Contains(secret, StringComparison.OrdinalIgnoreCase))).ToList();
        Assert.True(bodyLeaks.Count == 0 && telemetryLeaks.Count == 0,
            $"personal data or a token in {bodyLeaks.Count} of {tapped.Count} message bodies:\n"
            + string.Join('\n', bodyLeaks.Take(5).Select(m => $"{m.Type} via {m.Exchange}: {m.Text[..Math.Min(m.Text.Length, 2000)]}"))
            + $"\nand in {telemetryLeaks.Count} of {telemetry.Count} spans and log lines:\n" + string.Join('\n', telemetryLeaks.Take(8)));
    }

    private static string Token(Uri link) => HttpUtility.ParseQueryString(link.Query)["token"]!;

    // The in-memory exporters add to their lists from the export threads without a lock of ours, so the lists are read
    // through ToArray (a copy, which unlike enumeration does not fail on a concurrent add).

    /// <summary>Every span as text: its name, kind, status, every tag, every event with its tags.</summary>
    private List<string> Spans() =>
        _spans.ToArray().Select(s => string.Join(" | ",
            new[] { s.DisplayName, s.OperationName, s.Kind.ToString(), s.StatusDescription ?? "" }
                .Concat(s.TagObjects.Select(t => $"{t.Key}={t.Value}"))
                .Concat(s.Events.Select(e => e.Name + " " + string.Join(", ", e.Tags.Select(t => $"{t.Key}={t.Value}"))))))
            .ToList();

    /// <summary>Every log line as the services' loggers saw it, and every OpenTelemetry log record as it would be exported.</summary>
    private List<string> LogTexts()
    {
        var lines = _logs.Lines.ToList();
        foreach (var record in _records.ToArray())
        {
            var scopes = new List<string>();
            record.ForEachScope(
                (scope, list) =>
                {
                    foreach (var value in scope)
                    {
                        list.Add($"{value.Key}={value.Value}");
                    }
                },
                scopes);
            lines.Add(string.Join(" | ",
                new[] { record.CategoryName ?? "", record.FormattedMessage ?? "", record.Body ?? "", record.Exception?.ToString() ?? "" }
                    .Concat((record.Attributes ?? Array.Empty<KeyValuePair<string, object?>>()).Select(a => $"{a.Key}={a.Value}"))
                    .Concat(scopes)));
        }

        return lines;
    }
}
