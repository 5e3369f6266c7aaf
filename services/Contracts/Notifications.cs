namespace Closely.Contracts;

/// <summary>Send one templated email. Idempotent on <see cref="CaseId"/> + <see cref="NotificationKey"/>.</summary>
public record SendNotification
{
    public required Guid CaseId { get; init; }

    /// <summary>Unique per notice within the case (e.g. <c>acknowledgement</c>, <c>extension</c>).</summary>
    public required string NotificationKey { get; init; }

    /// <summary>The template's file name without extension.</summary>
    public required string Template { get; init; }

    public required string RecipientEmail { get; init; }

    public required IReadOnlyDictionary<string, string> Values { get; init; }
}

public record NotificationSent
{
    public required Guid CaseId { get; init; }

    public required string NotificationKey { get; init; }

    public required DateTimeOffset SentAt { get; init; }
}
