namespace Closely.Contracts;

/// <summary>Send one templated email. Idempotent on <see cref="CaseId"/> + <see cref="NotificationKey"/>.</summary>
public record SendNotification
{
    public required Guid CaseId { get; init; }

    /// <summary>Unique per notice within the case (e.g. <c>acknowledgement</c>, <c>extension</c>).</summary>
    public required string NotificationKey { get; init; }

    /// <summary>The template's file name without extension.</summary>
    public required string Template { get; init; }

    /// <summary>The recipient's address, sealed (<c>BusSeal.RecipientEmail</c>, ADR 38).</summary>
    public required byte[] SealedRecipientEmail { get; init; }

    /// <summary>
    /// Values for the template's placeholders, a string-to-string dictionary sealed as JSON (<c>BusSeal.NotificationValues</c>):
    /// they hold links that are credentials and text the DPO wrote. Dates are ISO 8601 (<c>2026-12-02</c>, or a UTC instant)
    /// and a right is its <see cref="DataSubjectRight"/> name: the template formats them for its language.
    /// </summary>
    public required byte[] SealedValues { get; init; }

    /// <summary>The case's language (ISO 639-1, e.g. <c>de</c>); null or a language without the template means English.</summary>
    public string? Language { get; init; }
}

/// <summary>
/// Notification's answer to <see cref="SendNotification"/>: the email was sent at <see cref="SentAt"/>, or, when
/// <see cref="Suppressed"/>, it was not sent because its recipient had had their daily quota of request-driven emails
/// (ADR 42) and <see cref="SentAt"/> is when that was decided. A repeated command gets the same answer.
/// </summary>
public record NotificationSent
{
    public required Guid CaseId { get; init; }

    public required string NotificationKey { get; init; }

    public required DateTimeOffset SentAt { get; init; }

    public bool Suppressed { get; init; }
}
