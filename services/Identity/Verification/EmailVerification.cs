using Closely.BuildingBlocks.Privacy;

namespace Closely.Identity.Verification;

/// <summary>
/// One verification link sent to a requester. The link carries <see cref="TokenId"/> and a signature;
/// the row holds what the link grants, and it is used at most once.
/// </summary>
public sealed class EmailVerification
{
    /// <summary>Random, URL-safe; the row's key and the first part of the link.</summary>
    public required string TokenId { get; init; }

    public required Guid CaseId { get; init; }

    public required string Reference { get; init; }

    /// <summary>The requester's email address; stored encrypted, never in plain text.</summary>
    [PersonalData]
    public required string RequesterEmail { get; set; }

    /// <summary>1 for the first link of a case, 2 for the next, and so on; unique per case.</summary>
    public required int IssueNumber { get; init; }

    public required DateTimeOffset IssuedAt { get; init; }

    public required DateTimeOffset ExpiresAt { get; init; }

    /// <summary>The case's language (ISO 639-1): the link opens its page in it, and a renewed link's email is written in it.</summary>
    public required string Language { get; init; }

    public DateTimeOffset? UsedAt { get; set; }
}
