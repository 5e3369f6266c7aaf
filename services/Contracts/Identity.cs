namespace Closely.Contracts;

/// <summary>Ask Identity to verify that the requester controls the email address.</summary>
public record VerifyIdentity
{
    /// <summary>
    /// How the notification keys of Identity's verification emails begin (<c>verify-&lt;token id&gt;</c>): the case
    /// counts its verification emails by the <see cref="NotificationSent"/> reports with such keys.
    /// </summary>
    public const string EmailKeyPrefix = "verify-";

    public required Guid CaseId { get; init; }

    public required string Reference { get; init; }

    /// <summary>The address the link goes to, sealed (<c>BusSeal.RequesterEmail</c>, ADR 38).</summary>
    public required byte[] SealedRequesterEmail { get; init; }

    /// <summary>The case's language (ISO 639-1): the verification email and pages use it; null means English.</summary>
    public string? Language { get; init; }
}

public record IdentityVerified
{
    public required Guid CaseId { get; init; }

    /// <summary>How identity was established, e.g. <c>email-link</c> or <c>dpo-decision</c>.</summary>
    public required string Method { get; init; }

    public required DateTimeOffset VerifiedAt { get; init; }
}

public record IdentityRejected
{
    public required Guid CaseId { get; init; }

    public required string Reason { get; init; }

    public required DateTimeOffset RejectedAt { get; init; }
}
