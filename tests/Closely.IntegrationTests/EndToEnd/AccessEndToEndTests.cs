using System.IO.Compression;
using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Closely.Cases;
using Closely.Cases.Saga;
using Closely.DataLocator.Locating;
using Closely.Identity.Persistence;
using Closely.Intake;
using Closely.IntegrationTests.Cases;
using Closely.IntegrationTests.Infrastructure;
using Closely.IntegrationTests.Stores;
using Closely.Notification.Persistence;
using Closely.Stores.Samples;
using Microsoft.Extensions.Time.Testing;
using Closely.ServiceProcesses;

namespace Closely.IntegrationTests.EndToEnd;

/// <summary>
/// Access and portability through the whole platform — Intake, Identity, DataLocator, Notification and Cases on one
/// database and virtual host, the three sample stores, maildev: the demo subject's verified request, the email with
/// the link, the download page and its POST, the ZIP, the expiry and the purge.
/// </summary>
[Collection(PlatformServersCollection.Name)]
public sealed partial class AccessEndToEndTests(PlatformServers servers) : IAsyncLifetime
{
    private readonly CapturedLogs _logs = new();
    private readonly FakeTimeProvider _dataLocatorClock = new(DateTimeOffset.UtcNow);
    private readonly string _packages = Path.Combine(TestSettings.TemporaryRoot, "packages-" + Guid.NewGuid().ToString("N"));
    private ServiceGroup _services = null!;
    private Uri _vhost = null!;
    private TestStores _stores = null!;
    private ServiceHost<IntakeOptions> _intake = null!;
    private ServiceHost<IdentityDbContext> _identity = null!;
    private ServiceHost<LocateSubjectDataConsumer> _dataLocator = null!;
    private ServiceHost<CasesOptions> _cases = null!;

    public async Task InitializeAsync()
    {
        var database = await PlatformDatabase.CreateAsync(servers, "access");
        _vhost = await servers.CreateVirtualHostAsync("access");
        _stores = await TestStores.CreateAsync(servers);

        var settings = new Dictionary<string, string?>(_stores.Settings.Concat(ConsoleSignIn.Settings))
        {
            ["Cases:FailedStoreRetryInterval"] = "00:00:03",
            ["Cases:SweepInterval"] = "00:00:01",
            ["Packages:Directory"] = _packages,
            ["Packages:PurgeInterval"] = "00:01:00",
        };

        _services = new ServiceGroup(servers, database, _vhost, options => options.Set(settings).Logs = _logs);
        _intake = await _services.StartAsync<IntakeOptions>();
        _identity = await _services.StartAsync<IdentityDbContext>();
        _dataLocator = await _services.StartAsync<LocateSubjectDataConsumer>(options => options.Clock = _dataLocatorClock);
        await _services.StartAsync<NotificationDbContext>();
        _cases = await _services.StartAsync<CasesOptions>();
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        await servers.DeleteVirtualHostAsync(_vhost);
        if (Directory.Exists(_packages))
        {
            Directory.Delete(_packages, recursive: true);
        }
    }

    [Fact]
    public async Task The_demo_subjects_access_request_is_answered_with_a_package_from_every_store_behind_a_post_and_purged_when_the_link_expires()
    {
        var (caseId, reference) = await SubmitAndVerifyAsync("access");
        var completed = await _cases.WaitForStateAsync(caseId, CaseStates.Completed, TimeSpan.FromSeconds(90));
        var link = await DownloadLinkAsync(reference);

        // Opening the link (as a mail scanner would) shows a page with a button, and delivers nothing.
        using var browser = _dataLocator.CreateClient();
        using var opened = await browser.GetAsync(new Uri(link.PathAndQuery, UriKind.Relative));
        var page = await opened.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.OK, opened.StatusCode);
        Assert.Equal("text/html", opened.Content.Headers.ContentType?.MediaType);
        Assert.Contains(reference, page, StringComparison.Ordinal);
        Assert.DoesNotContain("jane", page, StringComparison.OrdinalIgnoreCase);
        Assert.Null(completed.Package!.DownloadedAt);

        // The page's POST sends the ZIP.
        var zip = await DownloadAsync(browser, page);
        Assert.Equal(completed.Package.Sha256, Convert.ToHexStringLower(SHA256.HashData(zip)));
        var files = Unzip(zip);
        Assert.Contains("data.json", files.Keys);
        Assert.Contains("index.html", files.Keys);

        // Every store is there with the subject's rows, in JSON and CSV.
        using var data = JsonDocument.Parse(files["data.json"]);
        Assert.Equal(reference, data.RootElement.GetProperty("reference").GetString());
        var stores = data.RootElement.GetProperty("stores").EnumerateArray().ToList();
        Assert.Equal(_stores.Registry.Stores.Select(s => s.Id), stores.Select(s => s.GetProperty("store").GetString()));
        foreach (var store in _stores.Registry.Stores)
        {
            var exported = stores.Single(s => s.GetProperty("store").GetString() == store.Id).GetProperty("entities").EnumerateArray().ToList();
            Assert.Equal(store.Entities.Select(e => e.Name), exported.Select(e => e.GetProperty("entity").GetString()));
            Assert.True(exported.Sum(e => e.GetProperty("rows").GetArrayLength()) > 0, $"{store.Id} has the subject's rows");
            foreach (var entity in exported)
            {
                var rows = entity.GetProperty("rows").GetArrayLength();
                var csv = files[$"csv/{store.Id}/{entity.GetProperty("entity").GetString()}.csv"];
                Assert.Equal(rows, CsvRecords(csv));
            }
        }

        var people = stores[0].GetProperty("entities")[0].GetProperty("rows")[0];
        Assert.Equal(SampleStores.DemoEmail, people.GetProperty("Email").GetString(), ignoreCase: true);
        Assert.Equal(SampleStores.DemoLinkedInUrl, people.GetProperty("LinkedIn URL").GetString()?.TrimEnd('/'), ignoreCase: true);
        Assert.StartsWith("ID,", files["csv/hetzner-fsn1-crm/people.csv"], StringComparison.Ordinal);

        // No other person's email address anywhere in it.
        var addresses = files.Values.SelectMany(f => EmailPattern().Matches(f).Select(m => m.Value.ToLowerInvariant())).Distinct().ToList();
        Assert.Equal([SampleStores.DemoEmail], addresses);

        // The summary carries the Art 15(1) information, (a) to (h), from the registry.
        var index = files["index.html"];
        foreach (var item in "abcdefgh")
        {
            Assert.Contains($"<section id=\"item-{item}\">", index, StringComparison.Ordinal);
        }

        Assert.Contains("<html lang=\"en\">", index, StringComparison.Ordinal);
        Assert.Contains(_stores.Registry.Stores[0].Information.Purposes.In("en"), index, StringComparison.Ordinal);
        Assert.Contains("supervisory authority", index, StringComparison.Ordinal);

        await _cases.WaitUntilAsync(caseId, c => c.Package?.DownloadedAt is not null, "the download recorded on the case");

        // The DPO sees the package's summary on the case page, and the evidence records what was delivered when.
        using var console = await _cases.SignedInClientAsync(ConsoleSignIn.Viewer);
        var casePage = await console.GetStringAsync(new Uri($"/cases/{caseId}", UriKind.Relative));
        Assert.Contains("Data package", casePage, StringComparison.Ordinal);
        Assert.All(completed.Package.Contents, e => Assert.Contains($"<tr><td>{e.StoreId}</td><td>{e.Entity}</td><td>{e.Rows}</td></tr>", casePage, StringComparison.Ordinal));
        var evidence = JsonDocument.Parse(await console.GetStringAsync(new Uri($"/cases/{caseId}/evidence", UriKind.Relative))).RootElement.GetProperty("dataPackage");
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(zip)), evidence.GetProperty("sha256").GetString());
        Assert.Equal(completed.Package.Contents.Sum(e => e.Rows), evidence.GetProperty("totalRows").GetInt32());
        Assert.NotEqual(JsonValueKind.Null, evidence.GetProperty("deliveredAt").ValueKind);
        Assert.NotEqual(JsonValueKind.Null, evidence.GetProperty("downloadedAt").ValueKind);

        // Once the link expires the package is deleted, the case records it, and the link is refused with a way to ask again.
        _dataLocatorClock.Advance(TimeSpan.FromDays(7) + TimeSpan.FromMinutes(2));
        var purged = await _cases.WaitUntilAsync(caseId, c => c.Package?.PurgedAt is not null, "the purge recorded on the case");
        Assert.Equal(completed.Package.PackageId, purged.Package!.PackageId);
        Assert.Empty(Directory.EnumerateFiles(_packages, "package.zip", SearchOption.AllDirectories));
        using var expired = await browser.GetAsync(new Uri(link.PathAndQuery, UriKind.Relative));
        var refusal = await expired.Content.ReadAsStringAsync();
        Assert.Equal(HttpStatusCode.Gone, expired.StatusCode);
        Assert.Contains("Ask for your data again", refusal, StringComparison.Ordinal);
        var forged = link.PathAndQuery.Replace(completed.Package.PackageId.ToString("N"), Guid.NewGuid().ToString("N"), StringComparison.Ordinal);
        using var refused = await browser.GetAsync(new Uri(forged, UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, refused.StatusCode);
        using var late = await HtmlForms.PostAsync(browser, page);
        Assert.NotEqual("application/zip", late.Content.Headers.ContentType?.MediaType);

        // Nothing the services logged names the subject or holds the link.
        var leaks = _logs.Lines.Where(l =>
            l.Contains("jane.doe@example.com", StringComparison.OrdinalIgnoreCase)
            || l.Contains("jane-doe-demo", StringComparison.OrdinalIgnoreCase)
            || l.Contains(System.Web.HttpUtility.ParseQueryString(link.Query)["token"]!.Split('.')[^1], StringComparison.Ordinal)).ToList();
        Assert.Contains(_logs.Lines, l => l.Contains(caseId.ToString(), StringComparison.Ordinal));
        Assert.True(leaks.Count == 0, "personal data or the link in the logs:\n" + string.Join('\n', leaks.Take(5)));
    }

    [Fact]
    public async Task A_portability_request_yields_the_entities_the_person_provided_in_json_and_csv_streamed_and_in_the_cases_language()
    {
        // Thousands of activity events: the package is streamed from the store to the ZIP, never built in memory.
        await _stores.ExecuteAsync("aws-euc1-analytics", """
            INSERT INTO activity_events (profile_id, event_type, page_url, occurred_at)
            SELECT p.id, 'page_view', 'https://client.example/page/' || g, now() - g * interval '1 minute'
            FROM profiles p, generate_series(1, 5000) g WHERE lower(btrim(p.email)) = 'jane.doe@example.com'
            """);
        var (caseId, reference) = await SubmitAndVerifyAsync("portability", "de");
        await _cases.WaitForStateAsync(caseId, CaseStates.Completed, TimeSpan.FromSeconds(90));
        using var browser = _dataLocator.CreateClient();
        var page = await (await browser.GetAsync(new Uri((await DownloadLinkAsync(reference)).PathAndQuery, UriKind.Relative))).Content.ReadAsStringAsync();
        var files = Unzip(await DownloadAsync(browser, page));

        var provided = _stores.Registry.Stores.SelectMany(s => s.Entities.Where(e => e.Provided).Select(e => $"{s.Id}/{e.Name}")).ToList();
        Assert.NotEmpty(provided);
        using var data = JsonDocument.Parse(files["data.json"]);
        Assert.Equal("portability", data.RootElement.GetProperty("kind").GetString());
        var exported = data.RootElement.GetProperty("stores").EnumerateArray()
            .SelectMany(s => s.GetProperty("entities").EnumerateArray().Select(e => (Name: $"{s.GetProperty("store").GetString()}/{e.GetProperty("entity").GetString()}", Rows: e.GetProperty("rows").GetArrayLength())))
            .ToList();
        Assert.Equal(provided, exported.Select(e => e.Name));
        Assert.All(exported, e => Assert.True(e.Rows > 0, $"{e.Name} has the subject's rows"));
        Assert.Equal(provided.Select(p => $"csv/{p}.csv").Order(), files.Keys.Where(k => k.StartsWith("csv/", StringComparison.Ordinal)).Order());
        var events = exported.Single(e => e.Name == "aws-euc1-analytics/activity_events").Rows;
        Assert.True(events > 5000, $"{events} activity events");
        Assert.Equal(events, CsvRecords(files["csv/aws-euc1-analytics/activity_events.csv"]));

        // The summary is in the case's language, with the registry's texts in it.
        Assert.Contains("<html lang=\"de\">", files["index.html"], StringComparison.Ordinal);
        Assert.Contains("Aufsichtsbehörde", files["index.html"], StringComparison.Ordinal);
        Assert.Contains(_stores.Registry.Stores[2].Information.Source.In("de"), files["index.html"], StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_store_that_cannot_be_exported_holds_the_package_back_until_it_is_back()
    {
        const string Unreachable = "aws-euc1-analytics";
        await _stores.SetConnectionsAllowedAsync(servers, Unreachable, allowed: false);
        var (caseId, _) = await SubmitAndVerifyAsync("access");

        var partial = await _cases.WaitForStateAsync(caseId, CaseStates.PartiallyCompleted, TimeSpan.FromSeconds(90));
        var failed = Assert.Single(partial.Stores, s => s.Status == StoreStatus.Failed);
        Assert.Equal(Unreachable, failed.StoreId);
        Assert.Contains("could not be exported", failed.Reason, StringComparison.Ordinal);
        Assert.Null(partial.Package);

        await _stores.SetConnectionsAllowedAsync(servers, Unreachable, allowed: true);
        var completed = await _cases.WaitForStateAsync(caseId, CaseStates.Completed, TimeSpan.FromSeconds(90));
        Assert.Contains(completed.Package!.Contents, c => c.StoreId == Unreachable && c.Rows > 0);
    }

    private async Task<(Guid CaseId, string Reference)> SubmitAndVerifyAsync(string type, string language = "en")
    {
        using var intake = _intake.CreateClient();
        intake.DefaultRequestHeaders.AcceptLanguage.ParseAdd(language);
        using var response = await intake.PostAsJsonAsync(new Uri("/api/requests", UriKind.Relative), new
        {
            type,
            email = SampleStores.DemoEmail,
            fullName = "Jane Doe",
        });
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var accepted = await response.Content.ReadFromJsonAsync<JsonElement>();
        var reference = accepted.GetProperty("reference").GetString()!;
        var mail = await MailDev.MailToAsync(
            SampleStores.DemoEmail, m => m.Text.Contains(reference, StringComparison.Ordinal) && MailedLinks.Verification().IsMatch(m.Text), "the verification email");
        using var browser = _identity.CreateClient();
        await HtmlForms.ConfirmLinkAsync(browser, new Uri(MailedLinks.Verification().Match(mail.Text).Value));
        return (accepted.GetProperty("id").GetGuid(), reference);
    }

    private static async Task<Uri> DownloadLinkAsync(string reference)
    {
        var mail = await MailDev.MailToAsync(
            SampleStores.DemoEmail, m => m.Text.Contains(reference, StringComparison.Ordinal) && DownloadLinkPattern().IsMatch(m.Text), "the email with the download link");
        return new Uri(DownloadLinkPattern().Match(mail.Text).Value);
    }

    private static async Task<byte[]> DownloadAsync(HttpClient browser, string page)
    {
        using var download = await HtmlForms.PostAsync(browser, page);
        Assert.Equal(HttpStatusCode.OK, download.StatusCode);
        Assert.Equal("application/zip", download.Content.Headers.ContentType?.MediaType);
        return await download.Content.ReadAsByteArrayAsync();
    }

    /// <summary>The records of a CSV file after its header.</summary>
    private static int CsvRecords(string csv)
    {
        using var reader = new CsvHelper.CsvReader(new StringReader(csv), System.Globalization.CultureInfo.InvariantCulture);
        Assert.True(reader.Read() && reader.ReadHeader(), "the CSV file has a header");
        var records = 0;
        while (reader.Read())
        {
            records++;
        }

        return records;
    }

    private static Dictionary<string, string> Unzip(byte[] zip)
    {
        using var archive = new ZipArchive(new MemoryStream(zip), ZipArchiveMode.Read);
        return archive.Entries.ToDictionary(e => e.FullName, e =>
        {
            using var reader = new StreamReader(e.Open(), Encoding.UTF8);
            return reader.ReadToEnd();
        });
    }

    [GeneratedRegex(@"https?://\S+/download\?token=\S+")]
    private static partial Regex DownloadLinkPattern();

    [GeneratedRegex(@"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")]
    private static partial Regex EmailPattern();
}
