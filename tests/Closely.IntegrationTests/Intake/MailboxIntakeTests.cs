using Closely.Cases;
using Closely.Contracts;
using Closely.Identity.Persistence;
using Closely.Intake;
using Closely.Intake.Mailbox;
using Closely.IntegrationTests.Cases;
using Closely.IntegrationTests.Infrastructure;
using Closely.Notification.Persistence;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Security;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using MimeKit;
using Npgsql;
using Closely.ServiceProcesses;

namespace Closely.IntegrationTests.Intake;

/// <summary>
/// The privacy mailbox end to end: mails appended to a folder of the real Dovecot of this test's own become
/// cases in Intake and in the case saga (Cases, Identity and Notification run in-process too), and each
/// requester gets the verification email in maildev.
/// </summary>
[Collection(PlatformServersCollection.Name)]
public sealed class MailboxIntakeTests(PlatformServers servers) : IAsyncLifetime
{
    private readonly CapturedLogs _logs = new();
    private readonly string _folder = $"closely-test-{Guid.NewGuid():N}";
    private readonly string _run = Guid.NewGuid().ToString("N")[..10];
    private string _database = "";
    private Uri _vhost = null!;
    private ServiceHost<IntakeOptions> _intake = null!;
    private ServiceHost<CasesOptions> _cases = null!;
    private ServiceGroup _services = null!;

    private string ProcessedFolder => _folder + "-processed";

    private string IgnoredFolder => _folder + "-ignored";

    private static readonly DateTimeOffset GermanArrival = new(DateTimeOffset.UtcNow.AddDays(-3).ToUnixTimeSeconds() * TimeSpan.TicksPerSecond + DateTimeOffset.UnixEpoch.UtcTicks, TimeSpan.Zero);

    public async Task InitializeAsync()
    {
        _database = await PlatformDatabase.CreateAsync(servers, "mailbox");
        _vhost = await servers.CreateVirtualHostAsync("mailbox");
        using (var imap = await ConnectAsync())
        {
            var root = imap.GetFolder(imap.PersonalNamespaces[0]);
            await root.CreateAsync(_folder, isMessageFolder: true);
            await imap.DisconnectAsync(true);
        }

        var mailbox = servers.Imap!;
        var credentials = mailbox.UserInfo.Split(':', 2);
        var settings = new Dictionary<string, string?>
        {
            ["Intake:OutboxInterval"] = "00:00:00.500",
        };
        settings["Imap:Host"] = mailbox.Host;
        settings["Imap:Port"] = mailbox.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        settings["Imap:Username"] = Uri.UnescapeDataString(credentials[0]);
        settings["Imap:Password"] = Uri.UnescapeDataString(credentials[1]);
        settings["Imap:UseTls"] = "false";
        settings["Imap:Folder"] = _folder;
        settings["Imap:ProcessedFolder"] = ProcessedFolder;
        settings["Imap:IgnoredFolder"] = IgnoredFolder;
        // One pass when the service starts; the test runs the next one itself.
        settings["Imap:PollInterval"] = "01:00:00";

        _services = new ServiceGroup(servers, _database, _vhost, options => options.Set(settings).Logs = _logs);
        _intake = await _services.StartAsync<IntakeOptions>();
        _cases = await _services.StartAsync<CasesOptions>();
        await _services.StartAsync<IdentityDbContext>();
        await _services.StartAsync<NotificationDbContext>();
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();

        await servers.DeleteVirtualHostAsync(_vhost);
        using var imap = await ConnectAsync();
        foreach (var name in new[] { _folder, ProcessedFolder, IgnoredFolder })
        {
            var folders = await imap.GetFoldersAsync(imap.PersonalNamespaces[0]);
            if (folders.FirstOrDefault(f => f.FullName == name) is { } folder)
            {
                await folder.DeleteAsync();
            }
        }

        await imap.DisconnectAsync(true);
    }

    [Fact]
    public async Task Mails_to_the_privacy_mailbox_become_verified_cases_once_each_and_automatic_replies_become_none()
    {
        var english = Mail("Emma English", "en", "Delete my data", "Hello,\n\nplease delete all my personal data.\n\nThanks, Emma");
        var html = Mail("Hanna Html", "html", "My request", html: "<html><body><p>Hi,</p><p>please send me a <b>copy of my personal data</b>.</p></body></html>");
        var german = Mail("Max Mustermann", "de", "Berichtigung", "Sehr geehrte Damen und Herren,\n\nbitte berichtigen Sie meine Telefonnummer.\n\nMfG");
        var forwarded = Mail("Fred Forward", "fwd", "Fwd: Newsletter", """
            See below, this is from me too.

            ---------- Forwarded message ---------
            From: Fred <fred@elsewhere.example>
            Date: Mon, 2 Mar 2026 at 10:00
            Subject: Newsletter
            To: <info@closely.example>

            Stop sending me your marketing emails. I object to direct marketing.
            """);
        var unclear = Mail("Uma Unclear", "unclear", "Hello", "Could somebody call me back about your company?");
        var autoReply = Mail("Otto Office", "ooo", "Out of office: Delete my data", "I am away until Monday.");
        autoReply.Headers.Add(HeaderId.AutoSubmitted, "auto-replied");

        using (var imap = await ConnectAsync())
        {
            var folder = await imap.GetFolderAsync(_folder);
            await folder.OpenAsync(FolderAccess.ReadWrite);
            foreach (var message in new[] { english, html, forwarded, unclear, autoReply, english })
            {
                await folder.AppendAsync(message);
            }

            // This one reached the mailbox three days before it is polled (Intake was down, say).
            await folder.AppendAsync(german, MessageFlags.None, GermanArrival);

            await imap.DisconnectAsync(true);
        }

        await _intake.Services.GetRequiredService<MailboxPoller>().PollOnceAsync(CancellationToken.None);

        // One request per person, the same Message-ID twice being one; the auto-reply none.
        var requests = await EmailRequestsAsync();
        Assert.Equal(5, requests.Count);
        AssertRequest(requests, "en", "Emma English", DataSubjectRight.Erasure, needsTriage: false);
        AssertRequest(requests, "html", "Hanna Html", DataSubjectRight.Access, needsTriage: false);
        AssertRequest(requests, "de", "Max Mustermann", DataSubjectRight.Rectification, needsTriage: false);
        AssertRequest(requests, "fwd", "Fred Forward", DataSubjectRight.Objection, needsTriage: false);
        var triage = AssertRequest(requests, "unclear", "Uma Unclear", DataSubjectRight.Access, needsTriage: true);
        Assert.Equal(0, triage.Confidence);
        Assert.DoesNotContain(requests, r => r.Details.Contains('<', StringComparison.Ordinal));
        Assert.DoesNotContain(requests, r => r.Details.Contains("fred@elsewhere.example", StringComparison.Ordinal));

        // The clock started when the mail arrived, not when it was polled.
        await using (var connection = new NpgsqlConnection(_database))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand("SELECT received_at FROM intake.requests WHERE id = @id", connection);
            command.Parameters.AddWithValue("id", requests.Single(r => r.Email.StartsWith("de-", StringComparison.Ordinal)).Id);
            Assert.Equal(GermanArrival.UtcDateTime, (DateTime)(await command.ExecuteScalarAsync())!);
        }

        // Each is a case in the saga, from the email channel, with the same right and triage flag...
        await TestSettings.EventuallyAsync(async () =>
        {
            await using var db = _cases.NewDbContext();
            var cases = await db.Cases.AsNoTracking().Where(c => c.Channel == IntakeChannel.Email).ToListAsync();
            return cases.Count == 5 && requests.All(r => cases.Any(c =>
                c.CorrelationId == r.Id && c.Right == r.Right && c.NeedsTriage == r.NeedsTriage && c.RequesterEmail == r.Email));
        }, "the five cases in cases.case_sagas");

        // ...and each requester gets the link to verify, as from the web form.
        foreach (var request in requests)
        {
            await TestSettings.EventuallyAsync(
                async () => (await MailDev.MailsToAsync(request.Email)).Any(m => MailedLinks.Verification().IsMatch(m.Text)),
                $"the verification email to the {request.Email.Split('-')[0]} requester in maildev");
        }

        // The German mail is answered in German; the unclear mail's acknowledgement tells no guessed right.
        Assert.Equal(["de", "en", "en", "en", "en"], requests.Select(r => r.Language).Order());
        Assert.Equal("de", requests.Single(r => r.Email.StartsWith("de-", StringComparison.Ordinal)).Language);
        var germanRequest = requests.Single(r => r.Language == "de");
        await TestSettings.EventuallyAsync(
            async () => (await MailDev.MailsToAsync(germanRequest.Email)).Select(m => m.Subject).Order().SequenceEqual(
                [$"Bitte bestätigen Sie Ihren Datenschutzantrag {germanRequest.Reference}", $"Ihr Datenschutzantrag {germanRequest.Reference} ist bei uns eingegangen"]),
            "the German acknowledgement and verification email");
        var unclearAcknowledgement = await AcknowledgementAsync(triage);
        Assert.Equal($"We have received your message {triage.Reference}", unclearAcknowledgement.Subject);
        Assert.Contains("Our privacy team will read your message", unclearAcknowledgement.Text.ReplaceLineEndings(" "), StringComparison.Ordinal);
        Assert.DoesNotContain("Access", unclearAcknowledgement.Text, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("Your request: Erasure of your data (Article 17 GDPR)", (await AcknowledgementAsync(requests.Single(r => r.Email.StartsWith("en-", StringComparison.Ordinal)))).Text, StringComparison.Ordinal);

        // The mail is filed: six processed (the duplicate too), the auto-reply ignored, nothing left.
        Assert.Equal((0, 6, 1), await FolderCountsAsync());

        // A second pass finds nothing new.
        var again = await _intake.Services.GetRequiredService<MailboxPoller>().PollOnceAsync(CancellationToken.None);
        Assert.Equal(new MailboxPollResult(0, 0, 0, 0), again);
        Assert.Equal(5, (await EmailRequestsAsync()).Count);

        // Nothing the services logged names a requester or quotes a mail.
        var leaks = _logs.Lines.Where(l => l.Contains(_run, StringComparison.Ordinal)
            || l.Contains("Emma", StringComparison.Ordinal) || l.Contains("Telefonnummer", StringComparison.Ordinal)).ToList();
        Assert.True(leaks.Count == 0, "personal data in the logs:\n" + string.Join('\n', leaks.Take(5)));
        Assert.Contains(_logs.Lines, l => l.Contains(requests[0].Reference, StringComparison.Ordinal) && l.Contains("Mailbox", StringComparison.Ordinal));
    }

    private static Task<MailDev.Email> AcknowledgementAsync(StoredMail request) =>
        MailDev.MailToAsync(request.Email, m => m.Subject.StartsWith("We have received", StringComparison.Ordinal),
            $"the acknowledgement to the {request.Email.Split('-')[0]} requester");

    private static StoredMail AssertRequest(List<StoredMail> requests, string who, string fullName, DataSubjectRight right, bool needsTriage)
    {
        var request = Assert.Single(requests, r => r.Email.StartsWith(who + "-", StringComparison.Ordinal));
        Assert.Equal(fullName, request.FullName);
        Assert.Equal(right, request.Right);
        Assert.Equal(needsTriage, request.NeedsTriage);
        // The classifier's confidence is kept: at least its threshold for a clear right, below it for triage.
        var confidence = Assert.IsType<double>(request.Confidence);
        Assert.Equal(needsTriage, confidence < RequestClassifier.TriageBelow);
        Assert.InRange(confidence, 0.0, 1.0);
        return request;
    }

    private MimeMessage Mail(string name, string who, string subject, string? text = null, string? html = null)
    {
        var message = new MimeMessage { Subject = subject };
        message.From.Add(new MailboxAddress(name, $"{who}-{_run}@example.com"));
        message.To.Add(new MailboxAddress("Closely Privacy", "privacy@closely.example"));
        message.MessageId = MimeKit.Utils.MimeUtils.GenerateMessageId("example.com");
        message.Date = DateTimeOffset.UtcNow;
        message.Body = html is null ? new TextPart("plain") { Text = text ?? "" } : new TextPart("html") { Text = html };
        return message;
    }

    private async Task<List<StoredMail>> EmailRequestsAsync()
    {
        await using var db = PlatformDatabase.Intake(_database, servers.Protector());
        var requests = await db.Requests.AsNoTracking().Where(r => r.Channel == IntakeChannel.Email).ToListAsync();
        return requests.Select(r => new StoredMail(
            r.Id, r.Reference, r.Right, r.NeedsTriage, r.ClassificationConfidence, r.Email, r.FullName, r.Details!, r.Language)).ToList();
    }

    private async Task<(int Folder, int Processed, int Ignored)> FolderCountsAsync()
    {
        using var imap = await ConnectAsync();
        var counts = new List<int>();
        foreach (var name in new[] { _folder, ProcessedFolder, IgnoredFolder })
        {
            var folder = await imap.GetFolderAsync(name);
            await folder.StatusAsync(StatusItems.Count);
            counts.Add(folder.Count);
        }

        await imap.DisconnectAsync(true);
        return (counts[0], counts[1], counts[2]);
    }

    private async Task<ImapClient> ConnectAsync()
    {
        var mailbox = servers.Imap
            ?? throw new InvalidOperationException("CLOSELY_TEST_IMAP (the local Dovecot) is not set; run with ./test.sh.");
        var credentials = mailbox.UserInfo.Split(':', 2);
        var imap = new ImapClient();
        await imap.ConnectAsync(mailbox.Host, mailbox.Port, SecureSocketOptions.None);
        await imap.AuthenticateAsync(Uri.UnescapeDataString(credentials[0]), Uri.UnescapeDataString(credentials[1]));
        return imap;
    }

    private sealed record StoredMail(
        Guid Id, string Reference, DataSubjectRight Right, bool NeedsTriage, double? Confidence, string Email, string FullName, string Details, string Language);
}
