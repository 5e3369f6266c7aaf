using Closely.Contracts;
using Closely.IntegrationTests.Infrastructure;

namespace Closely.IntegrationTests.Notification;

[Collection(PlatformServersCollection.Name)]
public sealed class SendNotificationTests(PlatformServers servers) : IAsyncLifetime
{
    private NotificationHost _host = null!;
    private Uri _vhost = null!;

    public async Task InitializeAsync()
    {
        var database = await PlatformDatabase.CreateAsync(servers, "notify");
        _vhost = await servers.CreateVirtualHostAsync("notify");
        _host = await NotificationHost.StartAsync(servers, database, _vhost);
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await servers.DeleteVirtualHostAsync(_vhost);
    }

    [Fact]
    public async Task An_acknowledgement_is_mailed_once_with_the_reference_and_due_date_and_NotificationSent_is_published()
    {
        var sent = await _host.RecordAsync<NotificationSent>();
        var command = Command("acknowledgement", $"ack-{Guid.NewGuid():N}@example.com");

        await SendAsync(command);

        await TestSettings.EventuallyAsync(() => Task.FromResult(sent.Any(s => s.CaseId == command.CaseId)), "NotificationSent");
        var mail = Assert.Single(await NotificationHost.MailsToAsync(command.RecipientEmail));
        Assert.Contains(command.Values["reference"], mail.Subject, StringComparison.Ordinal);
        Assert.Contains(command.Values["reference"], mail.Text, StringComparison.Ordinal);
        Assert.Contains("1 December 2026", mail.Text.ReplaceLineEndings(" "), StringComparison.Ordinal);
        Assert.Contains(command.Values["statusUrl"], mail.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("{{", mail.Text, StringComparison.Ordinal);
        Assert.Equal("acknowledgement", Assert.Single(sent, s => s.CaseId == command.CaseId).NotificationKey);
    }

    [Fact]
    public async Task A_notice_of_a_german_case_is_mailed_in_german_with_its_umlauts_intact()
    {
        var sent = await _host.RecordAsync<NotificationSent>();
        var command = Command("acknowledgement", $"de-{Guid.NewGuid():N}@example.com") with { Language = "de" };

        await SendAsync(command);

        await TestSettings.EventuallyAsync(() => Task.FromResult(sent.Any(s => s.CaseId == command.CaseId)), "NotificationSent");
        var mail = Assert.Single(await NotificationHost.MailsToAsync(command.RecipientEmail));
        Assert.Equal($"Ihr Datenschutzantrag {command.Values["reference"]} ist bei uns eingegangen", mail.Subject);
        Assert.Contains("Ihr Anliegen: Löschung (Art. 17 DSGVO)", mail.Text, StringComparison.Ordinal);
        Assert.Contains("1. Dezember 2026", mail.Text.ReplaceLineEndings(" "), StringComparison.Ordinal);
        Assert.Contains("Mit freundlichen Grüßen", mail.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_same_notification_delivered_twice_sends_one_mail()
    {
        var sent = await _host.RecordAsync<NotificationSent>();
        var command = Command("acknowledgement", $"twice-{Guid.NewGuid():N}@example.com");

        await SendAsync(command);
        await TestSettings.EventuallyAsync(() => Task.FromResult(sent.Any(s => s.CaseId == command.CaseId)), "NotificationSent");
        await SendAsync(command);
        await SendAsync(command with { Values = new Dictionary<string, string>(command.Values) });

        // Give the duplicates time to be consumed (and wrongly mailed, were idempotency broken).
        await Task.Delay(TimeSpan.FromSeconds(3));
        Assert.Single(await NotificationHost.MailsToAsync(command.RecipientEmail));
        Assert.Single(sent, s => s.CaseId == command.CaseId);
    }

    [Fact]
    public async Task An_unknown_template_sends_nothing_and_goes_to_the_error_queue()
    {
        var command = Command("no-such-template", $"unknown-{Guid.NewGuid():N}@example.com");

        await SendAsync(command);

        await TestSettings.EventuallyAsync(
            async () => await _host.MessagesInQueueAsync($"{CommandQueues.SendNotification}_error") == 1,
            "one message in the send-notification_error queue");
        Assert.Empty(await NotificationHost.MailsToAsync(command.RecipientEmail));
    }

    private async Task SendAsync(SendNotification command)
    {
        var endpoint = await _host.Bus.GetSendEndpoint(new Uri($"queue:{CommandQueues.SendNotification}"));
        await endpoint.Send(command);
    }

    private static SendNotification Command(string template, string recipient)
    {
        var caseId = Guid.NewGuid();
        return new SendNotification
        {
            CaseId = caseId,
            NotificationKey = template,
            Template = template,
            RecipientEmail = recipient,
            Values = new Dictionary<string, string>
            {
                ["reference"] = "DSR-" + caseId.ToString("N")[..10].ToUpperInvariant(),
                ["right"] = "Erasure",
                ["receivedAt"] = "2026-11-01",
                ["dueAt"] = "2026-12-01",
                ["targetAt"] = "2026-11-24",
                ["state"] = "AwaitingVerification",
                ["outcome"] = "",
                ["stores"] = "",
                ["statusUrl"] = $"http://127.0.0.1:5100/api/requests/{caseId}/status?token=t&lang=en",
            },
        };
    }
}
