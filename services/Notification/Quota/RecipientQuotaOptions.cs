using System.ComponentModel.DataAnnotations;

namespace Closely.Notification.Quota;

/// <summary>The per-recipient quota, from configuration section <c>Notification</c> (ADR 42).</summary>
public sealed class RecipientQuotaOptions
{
    public const string SectionName = "Notification";

    /// <summary>
    /// How many request-driven emails (<see cref="RecipientQuota.LimitedTemplates"/>) one address may be sent per UTC day,
    /// through every channel together; the ones beyond it are not sent and are recorded as suppressed.
    /// </summary>
    [Range(1, 1_000_000)]
    public int DailyLimitPerRecipient { get; set; } = 20;
}
