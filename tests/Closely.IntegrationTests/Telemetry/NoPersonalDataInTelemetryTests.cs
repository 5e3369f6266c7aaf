using System.Diagnostics;
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
using Closely.Notification.Persistence;
using OpenTelemetry.Logs;
using OpenTelemetry.Trace;
using Closely.ServiceProcesses;

namespace Closely.IntegrationTests.Telemetry;

/// <summary>
/// An end-to-end run — a request through the API, the emailed link opened and confirmed, the case completed, the
/// status link opened — with every service logging at Debug, ASP.NET Core's own categories included, and every span
/// and OpenTelemetry log record captured by an in-memory exporter in each service. Neither the requester's address,
/// name, the verification token nor the status token appears anywhere.
/// </summary>
[Collection(PlatformServersCollection.Name)]
public sealed class NoPersonalDataInTelemetryTests(PlatformServers servers) : IAsyncLifetime
{
    private readonly CapturedLogs _logs = new();
    private readonly List<Activity> _spans = [];
    private readonly List<LogRecord> _records = [];
    private ServiceGroup _services = null!;
    private Uri _vhost = null!;
    private ServiceHost<IntakeOptions> _intake = null!;
    private ServiceHost<IdentityDbContext> _identity = null!;
    private ServiceHost<CasesOptions> _cases = null!;

    public async Task InitializeAsync()
    {
        var database = await PlatformDatabase.CreateAsync(servers, "telemetry_privacy");
        _vhost = await servers.CreateVirtualHostAsync("telemetry-privacy");
        _services = new ServiceGroup(servers, database, _vhost, options =>
        {
            options.Settings["Intake:OutboxInterval"] = "00:00:00.500";
            // As verbose as an operator chasing a fault would make it.
            options.Settings["Logging:LogLevel:Default"] = "Debug";
            options.Settings["Logging:LogLevel:Microsoft.AspNetCore"] = "Debug";
            options.Settings["Logging:LogLevel:Microsoft.AspNetCore.Hosting.Diagnostics"] = "Debug";
            options.Settings["Logging:LogLevel:Microsoft.EntityFrameworkCore"] = "Debug";
            options.Logs = _logs;
            options.TestServices = services => services
                .ConfigureOpenTelemetryTracerProvider(tracing => tracing.AddInMemoryExporter(_spans))
                .ConfigureOpenTelemetryLoggerProvider(logging => logging.AddInMemoryExporter(_records));
        });
        _intake = await _services.StartAsync<IntakeOptions>();
        _identity = await _services.StartAsync<IdentityDbContext>();
        await _services.StartAsync<NotificationDbContext>();
        _cases = await _services.StartAsync<CasesOptions>();
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        await servers.DeleteVirtualHostAsync(_vhost);
    }

    [Fact]
    public async Task A_request_verified_and_completed_leaves_no_address_name_or_token_in_any_span_or_log()
    {
        var unique = Guid.NewGuid().ToString("N")[..10];
        var email = $"telemetry.{unique}@example.org";
        var name = $"Quirinus Telemetrix{unique}";

        using var intake = _intake.CreateClient();
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
        using var browser = _identity.CreateClient();
        var page = await (await browser.GetAsync(new Uri(link.PathAndQuery, UriKind.Relative))).Content.ReadAsStringAsync();
        await HtmlForms.SubmitAsync(browser, page, HttpStatusCode.OK);
        await _cases.WaitForStateAsync(caseId, CaseStates.Completed, TimeSpan.FromSeconds(60));
        Assert.Equal(HttpStatusCode.OK, (await intake.GetAsync(new Uri(statusLink.PathAndQuery, UriKind.Relative))).StatusCode);

        // The spans and logs of the run are there (the Identity page's request, the case's reference)...
        var verificationToken = HttpUtility.ParseQueryString(link.Query)["token"]!;
        var statusToken = HttpUtility.ParseQueryString(statusLink.Query)["token"]!;
        await TestSettings.EventuallyAsync(
            () => Task.FromResult(Spans().Any(s => s.Contains("/verify", StringComparison.Ordinal) && s.Contains("POST", StringComparison.Ordinal))),
            "the span of the confirmation's POST");
        Assert.Contains(LogTexts(), l => l.Contains(reference, StringComparison.Ordinal) || l.Contains(caseId.ToString(), StringComparison.Ordinal));

        // ...and none of them holds the address, the name or a token (nor the signature part of the link's).
        string[] secrets = [email, name, $"Telemetrix{unique}", verificationToken, verificationToken.Split('.')[1], statusToken];
        var everything = Spans().Concat(LogTexts()).ToList();
        var leaks = everything.Where(text => secrets.Any(secret => text.Contains(secret, StringComparison.OrdinalIgnoreCase))).ToList();
        Assert.True(leaks.Count == 0, $"personal data or a token in {leaks.Count} of {everything.Count} spans and log lines:\n" + string.Join('\n', leaks.Take(8)));
    }

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
