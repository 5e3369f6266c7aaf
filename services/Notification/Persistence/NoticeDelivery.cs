namespace Closely.Notification.Persistence;

/// <summary>
/// One notice of one case as Notification delivers it: recorded before its email goes to SMTP, marked
/// sent once SMTP accepted it. <see cref="SentAt"/> null means an attempt began and was not seen to end —
/// the next delivery of the command sends it; more than one attempt on a sent notice means the email may
/// have gone out twice (ADR 12 walks through each kill point). <see cref="SuppressedAt"/> set means the email was
/// never sent: its recipient had had their daily quota (ADR 42).
/// </summary>
public sealed class NoticeDelivery
{
    public required Guid CaseId { get; init; }

    public required string NoticeKey { get; init; }

    public required string Template { get; init; }

    public int Attempts { get; set; }

    public required DateTimeOffset FirstAttemptAt { get; init; }

    public DateTimeOffset? SentAt { get; set; }

    public DateTimeOffset? SuppressedAt { get; set; }
}
