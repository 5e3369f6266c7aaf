using Closely.BuildingBlocks.Privacy;

namespace Closely.Cases.Persistence;

/// <summary>An agent's written authority, kept for the DPO's review. Name and content stored encrypted.</summary>
public sealed class AuthorityDocument
{
    public required Guid CaseId { get; init; }

    [PersonalData]
    public required string FileName { get; init; }

    /// <summary>As sniffed from the content at intake: <c>application/pdf</c>, <c>image/png</c> or <c>image/jpeg</c>.</summary>
    public required string ContentType { get; init; }

    [PersonalData]
    public required byte[] Content { get; init; }

    public required DateTimeOffset ReceivedAt { get; init; }
}
