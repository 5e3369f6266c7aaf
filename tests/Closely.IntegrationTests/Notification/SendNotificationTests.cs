using Closely.BuildingBlocks.Privacy;
using Closely.Contracts;
using Closely.IntegrationTests.Infrastructure;
using Closely.Notification.Email;
using Closely.Notification.Persistence;
using Microsoft.EntityFrameworkCore;

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
        var mail = Assert.Single(await MailDev.MailsToAsync(command.RecipientEmail(servers.Protector())));
        Assert.Contains(command.Values(servers.Protector())["reference"], mail.Subject, StringComparison.Ordinal);
        Assert.Contains(command.Values(servers.Protector())["reference"], mail.Text, StringComparison.Ordinal);
        Assert.Contains("1 December 2026", mail.Text.ReplaceLineEndings(" "), StringComparison.Ordinal);
        Assert.Contains(command.Values(servers.Protector())["statusUrl"], mail.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("{{", mail.Text, StringComparison.Ordinal);
        Assert.Equal("auto-generated", mail.Headers["auto-submitted"].GetString());
        Assert.Equal("acknowledgement", Assert.Single(sent, s => s.CaseId == command.CaseId).NotificationKey);
    }

    [Fact]
    public async Task A_notice_of_a_german_case_is_mailed_in_german_with_its_umlauts_intact()
    {
        var sent = await _host.RecordAsync<NotificationSent>();
        var command = Command("acknowledgement", $"de-{Guid.NewGuid():N}@example.com") with { Language = "de" };

        await SendAsync(command);

        await TestSettings.EventuallyAsync(() => Task.FromResult(sent.Any(s => s.CaseId == command.CaseId)), "NotificationSent");
        var mail = Assert.Single(await MailDev.MailsToAsync(command.RecipientEmail(servers.Protector())));
        Assert.Equal($"Ihr Datenschutzantrag {command.Values(servers.Protector())["reference"]} ist bei uns eingegangen", mail.Subject);
        Assert.Contains("Ihr Anliegen: Löschung (Art. 17 DSGVO)", mail.Text, StringComparison.Ordinal);
        Assert.Contains("1. Dezember 2026", mail.Text.ReplaceLineEndings(" "), StringComparison.Ordinal);
        Assert.Contains("Mit freundlichen Grüßen", mail.Text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_same_notification_delivered_again_sends_no_second_mail_and_publishes_NotificationSent_again()
    {
        var sent = await _host.RecordAsync<NotificationSent>();
        var command = Command("acknowledgement", $"twice-{Guid.NewGuid():N}@example.com");

        await SendAsync(command);
        await TestSettings.EventuallyAsync(() => Task.FromResult(sent.Any(s => s.CaseId == command.CaseId)), "NotificationSent");
        await SendAsync(command);
        await SendAsync(command with { SealedValues = BusSeal.SealJson(servers.Protector(), command.CaseId, BusSeal.NotificationValues, command.Values(servers.Protector())) });
        await TestSettings.EventuallyAsync(() => Task.FromResult(sent.Count(s => s.CaseId == command.CaseId) == 3), "NotificationSent for every delivery");

        Assert.Single(await MailDev.MailsToAsync(command.RecipientEmail(servers.Protector())));
        Assert.Single(sent.Where(s => s.CaseId == command.CaseId).Select(s => (s.NotificationKey, s.SentAt)).Distinct());
        await using var db = Database();
        var delivery = await db.Deliveries.SingleAsync(d => d.CaseId == command.CaseId);
        Assert.Equal(1, delivery.Attempts);
    }

    [Fact]
    public async Task Two_deliveries_of_one_notice_at_once_send_one_mail_and_both_publish_NotificationSent()
    {
        var sent = await _host.RecordAsync<NotificationSent>();
        var command = Command("acknowledgement", $"at-once-{Guid.NewGuid():N}@example.com");

        await Task.WhenAll(SendAsync(command), SendAsync(command));
        await TestSettings.EventuallyAsync(() => Task.FromResult(sent.Count(s => s.CaseId == command.CaseId) == 2), "NotificationSent for both deliveries");

        Assert.Single(await MailDev.MailsToAsync(command.RecipientEmail(servers.Protector())));
        Assert.Single(sent.Where(s => s.CaseId == command.CaseId).Select(s => s.SentAt).Distinct());
    }

    [Fact]
    public async Task A_notice_whose_sender_died_before_SMTP_accepted_it_is_sent_by_the_next_delivery()
    {
        var sent = await _host.RecordAsync<NotificationSent>();
        var command = Command("acknowledgement", $"interrupted-{Guid.NewGuid():N}@example.com");
        await using (var db = Database())
        {
            // Recorded as being sent; then the process was killed before SMTP accepted the email.
            db.Deliveries.Add(new NoticeDelivery
            {
                CaseId = command.CaseId,
                NoticeKey = command.NotificationKey,
                Template = command.Template,
                Attempts = 1,
                FirstAttemptAt = DateTimeOffset.UtcNow,
            });
            await db.SaveChangesAsync();
        }

        await SendAsync(command);

        await TestSettings.EventuallyAsync(() => Task.FromResult(sent.Any(s => s.CaseId == command.CaseId)), "NotificationSent");
        var mail = Assert.Single(await MailDev.MailsToAsync(command.RecipientEmail(servers.Protector())));
        // A second send of the same notice (the accepted at-least-once edge) would carry this same Message-ID.
        Assert.Equal(SmtpMailSender.MessageId($"{command.CaseId:N}:{command.NotificationKey}", "privacy@closely.example"), mail.MessageId?.Trim('<', '>'));
        await using var check = Database();
        var delivery = await check.Deliveries.SingleAsync(d => d.CaseId == command.CaseId);
        Assert.Equal((2, Assert.Single(sent, s => s.CaseId == command.CaseId).SentAt), (delivery.Attempts, delivery.SentAt));
    }

    [Fact]
    public async Task An_unknown_template_sends_nothing_and_goes_to_the_error_queue()
    {
        var command = Command("no-such-template", $"unknown-{Guid.NewGuid():N}@example.com");

        await SendAsync(command);

        await TestSettings.EventuallyAsync(
            async () => await _host.MessagesInQueueAsync($"{CommandQueues.SendNotification}_error") == 1,
            "one message in the send-notification_error queue");
        Assert.Empty(await MailDev.MailsToAsync(command.RecipientEmail(servers.Protector())));
    }

    [Fact]
    public async Task The_error_queue_keeps_a_failed_message_only_for_the_configured_retention()
    {
        await using var host = await ServiceHost<NotificationDbContext>.StartAsync(servers, "notify-retention",
            options => options.Settings["Messaging:ErrorRetention"] = "00:00:45");
        var command = Command("no-such-template", $"retention-{Guid.NewGuid():N}@example.com");

        await host.SendAsync(CommandQueues.SendNotification, command);

        // The failed message is in the error queue, which the broker's retention policy governs: 45 s, as configured.
        var errorQueue = $"{CommandQueues.SendNotification}_error";
        await TestSettings.EventuallyAsync(async () => await host.MessagesInQueueAsync(errorQueue) == 1, "the failed message in the error queue");
        await TestSettings.EventuallyAsync(
            async () => await servers.QueueAsync(host.VirtualHost, errorQueue) is { } queue
                && queue.TryGetProperty("policy", out var policy) && policy.GetString() == "closely-error-retention"
                && queue.GetProperty("effective_policy_definition").TryGetProperty("message-ttl", out var ttl) && ttl.GetInt64() == 45_000,
            "the retention policy with a 45 s message TTL on the error queue");
    }

    private NotificationDbContext Database() => PlatformDatabase.Notification(_host.Database);

    private Task SendAsync(SendNotification command) => _host.SendAsync(CommandQueues.SendNotification, command);

    private SendNotification Command(string template, string recipient)
    {
        var caseId = Guid.NewGuid();
        return new SendNotification
        {
            CaseId = caseId,
            NotificationKey = template,
            Template = template,
            SealedRecipientEmail = servers.Seal(caseId, BusSeal.RecipientEmail, recipient),
            SealedValues = BusSeal.SealJson(servers.Protector(), caseId, BusSeal.NotificationValues, new Dictionary<string, string>
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
            }),
        };
    }
}
