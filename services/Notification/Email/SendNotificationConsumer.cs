using Closely.BuildingBlocks.Privacy;
using Closely.Contracts;
using Closely.Notification.Persistence;
using Closely.Notification.Quota;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace Closely.Notification.Email;

/// <summary>
/// Renders and sends one templated email, once per <see cref="SendNotification.CaseId"/> +
/// <see cref="SendNotification.NotificationKey"/>, then publishes <see cref="NotificationSent"/>. A
/// duplicate command sends nothing and publishes <see cref="NotificationSent"/> again with the recorded
/// time, so that a lost reply is recovered by the saga's next re-send. An email beyond its recipient's
/// daily quota (<see cref="RecipientQuota"/>) is not sent: it is recorded as suppressed, and reported so.
/// </summary>
/// <remarks>
/// An email cannot share a transaction with the database, so the delivery is recorded in three steps:
/// recorded as being sent (committed, with the recipient's quota count), sent over SMTP, marked sent (committed).
/// Killed before SMTP accepted the email, the next delivery sends it; killed after SMTP accepted it but before the
/// mark committed, the next delivery sends it again — the one window where a requester may get an email
/// twice, accepted as at-least-once and softened by a Message-ID that is the same for both (ADR 12). The quota
/// counts a notice once, when its delivery is first recorded, however many attempts it takes.
/// </remarks>
public sealed partial class SendNotificationConsumer(
    NotificationDbContext db,
    TemplateRenderer renderer,
    SmtpMailSender sender,
    PersonalDataProtector protector,
    RecipientQuota quota,
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
        var recipient = message.RecipientEmail(protector);

        DateTimeOffset at;
        bool suppressed;
        await using (await db.LockNoticeAsync(message.CaseId, message.NotificationKey, cancellationToken))
        {
            var delivery = await db.Deliveries.FindAsync([message.CaseId, message.NotificationKey], cancellationToken);
            if (delivery is { } done && (done.SentAt ?? done.SuppressedAt) is { } recorded)
            {
                (at, suppressed) = (recorded, done.SentAt is null);
                LogRepeated(message.CaseId, message.Template, message.NotificationKey);
            }
            else
            {
                var first = delivery is null;
                delivery ??= db.Deliveries.Add(new NoticeDelivery
                {
                    CaseId = message.CaseId,
                    NoticeKey = message.NotificationKey,
                    Template = message.Template,
                    FirstAttemptAt = time.GetUtcNow(),
                }).Entity;
                if (await RecordAttemptAsync(delivery, first, recipient, message.Template, cancellationToken))
                {
                    await sender.SendAsync(recipient, email, $"{message.CaseId:N}:{message.NotificationKey}", cancellationToken);

                    delivery.SentAt = at = WholeMilliseconds();
                    suppressed = false;
                    await db.SaveChangesAsync(cancellationToken);
                    LogSent(message.CaseId, message.Template, message.NotificationKey, delivery.Attempts);
                }
                else
                {
                    (at, suppressed) = (delivery.SuppressedAt!.Value, true);
                    LogSuppressed(message.CaseId, message.Template, message.NotificationKey);
                }
            }
        }

        await context.Publish(new NotificationSent
        {
            CaseId = message.CaseId,
            NotificationKey = message.NotificationKey,
            SentAt = at,
            Suppressed = suppressed,
        });
    }

    /// <summary>
    /// Records an attempt at the notice before its email goes to SMTP. A notice recorded for the first time is counted
    /// against its recipient's quota in the same transaction, and recorded as suppressed instead when the quota is spent.
    /// Returns whether the email is to be sent.
    /// </summary>
    private async Task<bool> RecordAttemptAsync(NoticeDelivery delivery, bool first, string recipient, string template, CancellationToken cancellationToken)
    {
        var attempts = delivery.Attempts + 1;
        var send = await db.Database.CreateExecutionStrategy().ExecuteAsync(async ct =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            var allowed = !first || await quota.TryCountAsync(db, recipient, template, time.GetUtcNow(), ct);
            if (allowed)
            {
                delivery.Attempts = attempts;
            }
            else
            {
                delivery.SuppressedAt = WholeMilliseconds();
            }

            await db.SaveChangesAsync(acceptAllChangesOnSuccess: false, ct);
            await transaction.CommitAsync(ct);
            return allowed;
        }, cancellationToken);
        db.ChangeTracker.AcceptAllChanges();
        return send;
    }

    // Whole milliseconds survive the database's round trip: a repeated NotificationSent carries the same time.
    private DateTimeOffset WholeMilliseconds() => DateTimeOffset.FromUnixTimeMilliseconds(time.GetUtcNow().ToUnixTimeMilliseconds());

    // Never the recipient or any value: only what identifies the notice.
    [LoggerMessage(Level = LogLevel.Information, Message = "Sent notification {NotificationKey} (template {Template}) for case {CaseId}, attempt {Attempt}")]
    private partial void LogSent(Guid caseId, string template, string notificationKey, int attempt);

    [LoggerMessage(Level = LogLevel.Information, Message = "Notification {NotificationKey} (template {Template}) for case {CaseId} was handled before; publishing its outcome again")]
    private partial void LogRepeated(Guid caseId, string template, string notificationKey);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Notification {NotificationKey} (template {Template}) for case {CaseId} not sent: its recipient has had today's quota")]
    private partial void LogSuppressed(Guid caseId, string template, string notificationKey);
}
