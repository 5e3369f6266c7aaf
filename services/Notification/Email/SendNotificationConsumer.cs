using Closely.BuildingBlocks.Privacy;
using Closely.Contracts;
using Closely.Notification.Persistence;
using MassTransit;

namespace Closely.Notification.Email;

/// <summary>
/// Renders and sends one templated email, once per <see cref="SendNotification.CaseId"/> +
/// <see cref="SendNotification.NotificationKey"/>, then publishes <see cref="NotificationSent"/>. A
/// duplicate command sends nothing and publishes <see cref="NotificationSent"/> again with the recorded
/// time, so that a lost reply is recovered by the saga's next re-send.
/// </summary>
/// <remarks>
/// An email cannot share a transaction with the database, so the delivery is recorded in three steps:
/// recorded as being sent (committed), sent over SMTP, marked sent (committed). Killed before SMTP
/// accepted the email, the next delivery sends it; killed after SMTP accepted it but before the mark
/// committed, the next delivery sends it again — the one window where a requester may get an email
/// twice, accepted as at-least-once and softened by a Message-ID that is the same for both (ADR 12).
/// </remarks>
public sealed partial class SendNotificationConsumer(
    NotificationDbContext db,
    TemplateRenderer renderer,
    SmtpMailSender sender,
    PersonalDataProtector protector,
    TimeProvider time,
    ILogger<SendNotificationConsumer> logger) : IConsumer<SendNotification>
{
    public async Task Consume(ConsumeContext<SendNotification> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var message = context.Message;
        var cancellationToken = context.CancellationToken;

        // An unknown template or a missing value fails before anything is recorded or sent. The case's language picks the version.
        var email = renderer.Render(message.Template, message.Language, message.Values(protector));

        DateTimeOffset sentAt;
        await using (await db.LockNoticeAsync(message.CaseId, message.NotificationKey, cancellationToken))
        {
            var delivery = await db.Deliveries.FindAsync([message.CaseId, message.NotificationKey], cancellationToken);
            if (delivery?.SentAt is { } recorded)
            {
                sentAt = recorded;
                LogRepeated(message.CaseId, message.Template, message.NotificationKey);
            }
            else
            {
                delivery ??= db.Deliveries.Add(new NoticeDelivery
                {
                    CaseId = message.CaseId,
                    NoticeKey = message.NotificationKey,
                    Template = message.Template,
                    FirstAttemptAt = time.GetUtcNow(),
                }).Entity;
                delivery.Attempts++;
                await db.SaveChangesAsync(cancellationToken);

                await sender.SendAsync(message.RecipientEmail(protector), email, $"{message.CaseId:N}:{message.NotificationKey}", cancellationToken);

                // Whole milliseconds survive the database's round trip: a repeated NotificationSent carries the same time.
                delivery.SentAt = sentAt = DateTimeOffset.FromUnixTimeMilliseconds(time.GetUtcNow().ToUnixTimeMilliseconds());
                await db.SaveChangesAsync(cancellationToken);
                LogSent(message.CaseId, message.Template, message.NotificationKey, delivery.Attempts);
            }
        }

        await context.Publish(new NotificationSent
        {
            CaseId = message.CaseId,
            NotificationKey = message.NotificationKey,
            SentAt = sentAt,
        });
    }

    // Never the recipient or any value: only what identifies the notice.
    [LoggerMessage(Level = LogLevel.Information, Message = "Sent notification {NotificationKey} (template {Template}) for case {CaseId}, attempt {Attempt}")]
    private partial void LogSent(Guid caseId, string template, string notificationKey, int attempt);

    [LoggerMessage(Level = LogLevel.Information, Message = "Notification {NotificationKey} (template {Template}) for case {CaseId} was sent before; publishing NotificationSent again")]
    private partial void LogRepeated(Guid caseId, string template, string notificationKey);
}
