using Closely.Contracts;
using Closely.IntegrationTests.Infrastructure;
using Closely.Notification.Persistence;

namespace Closely.IntegrationTests.Notification;

[Collection(PlatformServersCollection.Name)]
public sealed class SendNotificationTests(PlatformServers servers) : IAsyncLifetime
{
    private ServiceHost<NotificationDbContext> _host = null!;

    public async Task InitializeAsync() => _host = await ServiceHost<NotificationDbContext>.StartAsync(servers, "notify");

    public Task DisposeAsync() => _host.DisposeAsync().AsTask();

    [Fact]
    public async Task An_acknowledgement_is_mailed_once_with_the_reference_and_due_date_and_NotificationSent_is_published()
    {
        var sent = await _host.RecordAsync<NotificationSent>();
        var command = Command("acknowledgement", $"ack-{Guid.NewGuid():N}@example.com");

        await SendAsync(command);

        await TestSettings.EventuallyAsync(() => Task.FromResult(sent.Any(s => s.CaseId == command.CaseId)), "NotificationSent");
        var mail = Assert.Single(await MailDev.MailsToAsync(command.RecipientEmail));
        Assert.Contains(command.Values["reference"], mail.Subject, StringComparison.Ordinal);
        Assert.Contains(command.Values["reference"], mail.Text, StringComparison.Ordinal);
        Assert.Contains(command.Values["dueAt"], mail.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("{{", mail.Text, StringComparison.Ordinal);
        Assert.Equal("acknowledgement", Assert.Single(sent, s => s.CaseId == command.CaseId).NotificationKey);
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

        // Once the duplicates are consumed (and would have been mailed, were idempotency broken):
        await _host.WaitForHandledAsync<SendNotification>(n => n.CaseId == command.CaseId, count: 3);
        Assert.Single(await MailDev.MailsToAsync(command.RecipientEmail));
        Assert.Single(_host.Published<NotificationSent>(s => s.CaseId == command.CaseId));
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
        Assert.Empty(await MailDev.MailsToAsync(command.RecipientEmail));
    }

    private Task SendAsync(SendNotification command) => _host.SendAsync(CommandQueues.SendNotification, command);

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
            },
        };
    }
}
