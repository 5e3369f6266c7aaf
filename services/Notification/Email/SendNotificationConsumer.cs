using Closely.Contracts;
using Closely.Notification.Persistence;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace Closely.Notification.Email;

/// <summary>
/// Renders and sends one templated email, once per <see cref="SendNotification.CaseId"/> +
/// <see cref="SendNotification.NotificationKey"/>, then publishes <see cref="NotificationSent"/>.
/// </summary>
public sealed partial class SendNotificationConsumer(
    NotificationDbContext db,
    TemplateRenderer renderer,
    SmtpMailSender sender,
    TimeProvider time,
    ILogger<SendNotificationConsumer> logger) : IConsumer<SendNotification>
{
    public async Task Consume(ConsumeContext<SendNotification> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var message = context.Message;

        // An unknown template or a missing value fails before anything is claimed or sent. The case's language picks the version.
        var email = renderer.Render(message.Template, message.Language, message.Values);
        var key = $"{message.CaseId}:{message.NotificationKey}";

        // Claim in the transaction, send, then commit. If the send fails the transaction rolls back and the
        // retry sends. If the commit fails after the send, the retry sends again: a duplicate email is possible
        // in that narrow window, which is acceptable (an email cannot be enlisted in the transaction).
        var strategy = db.Database.CreateExecutionStrategy();
        var sent = await strategy.ExecuteAsync(async cancellationToken =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            if (!await db.TryClaimAsync(key, time.GetUtcNow(), cancellationToken))
            {
                return false;
            }

            await sender.SendAsync(message.RecipientEmail, email, cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return true;
        }, context.CancellationToken);

        if (!sent)
        {
            LogDuplicate(message.CaseId, message.Template, message.NotificationKey);
            return;
        }

        LogSent(message.CaseId, message.Template, message.NotificationKey);
        await context.Publish(new NotificationSent
        {
            CaseId = message.CaseId,
            NotificationKey = message.NotificationKey,
            SentAt = time.GetUtcNow(),
        });
    }

    // Never the recipient or any value: only what identifies the notice.
    [LoggerMessage(Level = LogLevel.Information, Message = "Sent notification {NotificationKey} (template {Template}) for case {CaseId}")]
    private partial void LogSent(Guid caseId, string template, string notificationKey);

    [LoggerMessage(Level = LogLevel.Information, Message = "Notification {NotificationKey} (template {Template}) for case {CaseId} was sent before; skipped")]
    private partial void LogDuplicate(Guid caseId, string template, string notificationKey);
}
