namespace Closely.Notification.Quota;

/// <summary>
/// How many quota-limited emails (<see cref="RecipientQuota.LimitedTemplates"/>) one recipient was sent on one UTC day,
/// under the keyed hash of the normalised address (<c>PersonalDataProtector.EmailIndex</c>): the address itself is never
/// stored. Rows of earlier days are deleted when a day's first row is written (ADR 42).
/// </summary>
public sealed class RecipientDay
{
    public required byte[] RecipientHash { get; init; }

    public required DateOnly Day { get; init; }

    public int Mails { get; set; }
}
