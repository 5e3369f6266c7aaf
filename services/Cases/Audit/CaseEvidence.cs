using Closely.BuildingBlocks.Privacy;
using System.Text.Json;
using System.Text.Json.Serialization;
using Closely.Cases.Saga;
using Closely.Contracts;

namespace Closely.Cases.Audit;

// The evidence export of one case, for the DPO to hand to a supervisory authority. Field names are
// camelCase and stable: fields are only added; a change that breaks readers raises SchemaVersion.
// Enumerations are kebab-case strings (e.g. "erasure", "partially-completed"). It holds no personal
// data but the requester's own email: no agent email, no free text of the request, and staff appear
// only as keyed pseudonyms ("pii:" + 12 hex digits, the pseudonym the logs use), "system" for the platform.

/// <summary>The evidence of one case: what was asked, what was done and when, and proof the record is whole.</summary>
public sealed record CaseEvidence
{
    /// <summary>The version of this document's shape.</summary>
    public const int CurrentSchemaVersion = 1;

    /// <summary>How the export is written: camelCase fields, kebab-case enumerations, nulls kept, indented.</summary>
    public static JsonSerializerOptions JsonOptions { get; } = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower) },
    };

    public int SchemaVersion { get; init; } = CurrentSchemaVersion;

    public required DateTimeOffset GeneratedAt { get; init; }

    public required EvidenceCase Case { get; init; }

    /// <summary>The check of the audit chain made for this export.</summary>
    public required ChainVerification ChainVerification { get; init; }

    /// <summary>The audit trail in order, with the hash chain.</summary>
    public required IReadOnlyList<EvidenceTimelineEntry> Timeline { get; init; }

    /// <summary>
    /// The latest anchor that covers the case, with the proof that its signed Merkle root holds the case's chain head;
    /// null until an anchor is written after the case began.
    /// </summary>
    public required EvidenceAnchor? Anchor { get; init; }

    /// <summary>The emails the case asked for: template, recipient role, when asked and when sent.</summary>
    public required IReadOnlyList<EvidenceNotice> Notices { get; init; }

    /// <summary>For an erasure request, what was done in each store; null for other rights.</summary>
    public required ErasureCertificate? ErasureCertificate { get; init; }

    /// <summary>
    /// Every step the case took in a store, whatever its action (erase, restrict, lift the restriction, erase what a legal hold
    /// kept, export), in order: the per-store progress of any right.
    /// </summary>
    public IReadOnlyList<StoreErasure> StoreActions { get; init; } = [];

    /// <summary>For access and portability, the package delivered: counts, hash and times, never its content; null otherwise or before it is built.</summary>
    public EvidencePackage? DataPackage { get; init; }

    /// <summary>For a rectification, each correction with its decision and what was done in each store; null for other rights.</summary>
    public EvidenceRectification? Rectification { get; init; }
}

/// <summary>What the requester was given: the package's contents by count, its SHA-256, when it was delivered, downloaded and purged.</summary>
public sealed record EvidencePackage
{
    public required Guid PackageId { get; init; }

    /// <summary><c>access</c> or <c>portability</c>.</summary>
    public required DataPackageKind Kind { get; init; }

    public required IReadOnlyList<DataPackageEntry> Contents { get; init; }

    public required int TotalRows { get; init; }

    /// <summary>Lower-case hex SHA-256 of the ZIP file the requester downloads.</summary>
    public required string Sha256 { get; init; }

    public required long Bytes { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>When the email with the download link was asked for.</summary>
    public required DateTimeOffset? DeliveredAt { get; init; }

    public required DateTimeOffset? DownloadedAt { get; init; }

    public required DateTimeOffset ExpiresAt { get; init; }

    public required DateTimeOffset? PurgedAt { get; init; }
}

public sealed record EvidenceCase
{
    public required Guid CaseId { get; init; }

    public required string Reference { get; init; }

    public required DataSubjectRight Right { get; init; }

    public required IntakeChannel Channel { get; init; }

    /// <summary>The case's state, e.g. <c>completed</c>, <c>partially-completed</c>, <c>rejected</c>.</summary>
    public required string State { get; init; }

    /// <summary>The requester's own email: the case is theirs.</summary>
    [PersonalData]
    public required string RequesterEmail { get; init; }

    /// <summary>True when an authorised agent made the request (the agent is not named).</summary>
    public required bool MadeThroughAgent { get; init; }

    /// <summary>The review of the agent's written authority: <c>not-needed</c>, <c>pending</c>, <c>approved</c>, <c>rejected</c>.</summary>
    public required AuthorityReview AgentAuthority { get; init; }

    /// <summary>The client company that forwarded the request, if any (a company id).</summary>
    public required string? ClientId { get; init; }

    public required DateTimeOffset ReceivedAt { get; init; }

    /// <summary>The date of receipt in the legal time zone.</summary>
    public required DateOnly ReceivedOn { get; init; }

    /// <summary>The end of the legal period (one month, or three once extended).</summary>
    public required DateTimeOffset DueAt { get; init; }

    public required DateOnly DueOn { get; init; }

    /// <summary>The internal target, ahead of the due date.</summary>
    public required DateTimeOffset TargetAt { get; init; }

    public required DateOnly TargetOn { get; init; }

    public required bool Extended { get; init; }

    public required string? ExtensionReason { get; init; }

    public required DateTimeOffset? IdentityVerifiedAt { get; init; }

    /// <summary>How identity was established, as the audit trail records it (e.g. <c>email-link</c>).</summary>
    public required string? IdentityVerificationMethod { get; init; }

    public required DateTimeOffset? ClosedAt { get; init; }

    /// <summary>Why the case ended as it did, when that needs saying.</summary>
    public required string? Outcome { get; init; }
}

/// <summary>One audit entry. <c>hash</c> and <c>previousHash</c> are as stored (computed over the real actor).</summary>
public sealed record EvidenceTimelineEntry
{
    public required int Sequence { get; init; }

    public required DateTimeOffset At { get; init; }

    /// <summary><c>system</c>, or the staff member's pseudonym.</summary>
    public required string Actor { get; init; }

    public required string Action { get; init; }

    public required string Detail { get; init; }

    /// <summary>The chain key the hash was computed with (HMAC-SHA256), or <c>sha256-legacy</c> for a plain SHA-256.</summary>
    public required string KeyId { get; init; }

    public required string PreviousHash { get; init; }

    public required string Hash { get; init; }
}

/// <summary>
/// A signed anchor and the case's place in it: <see cref="Statement"/> is what <see cref="Signature"/> signs (ECDSA
/// P-256, SHA-256, DER, base64) with the key <see cref="KeyId"/>; the leaf with <see cref="AuditPath"/> leads to
/// <see cref="Root"/> (RFC 9162 Merkle tree). A verifier needs the public key only.
/// </summary>
public sealed record EvidenceAnchor
{
    public required long Sequence { get; init; }

    public required DateTimeOffset AnchoredAt { get; init; }

    public required string KeyId { get; init; }

    public required int TreeSize { get; init; }

    public required string Root { get; init; }

    public required string Previous { get; init; }

    public required string Statement { get; init; }

    public required string Signature { get; init; }

    /// <summary>The case's chain as anchored: <c>caseId</c>, <c>entryCount</c>, <c>head</c>.</summary>
    public required AnchorLeaf Leaf { get; init; }

    public required int LeafIndex { get; init; }

    /// <summary>The sibling hashes from the leaf up to the root, lower-case hex.</summary>
    public required IReadOnlyList<string> AuditPath { get; init; }

    public static EvidenceAnchor From(AnchoredHead anchored)
    {
        ArgumentNullException.ThrowIfNull(anchored);
        var anchor = anchored.Anchor;
        return new EvidenceAnchor
        {
            Sequence = anchor.Sequence,
            AnchoredAt = anchor.AnchoredAt,
            KeyId = anchor.KeyId,
            TreeSize = anchor.TreeSize,
            Root = anchor.Root,
            Previous = anchor.Previous,
            Statement = anchor.Statement,
            Signature = anchor.Signature,
            Leaf = anchored.Leaf,
            LeafIndex = anchored.LeafIndex,
            AuditPath = anchored.AuditPath,
        };
    }
}

public sealed record EvidenceNotice
{
    public required string Template { get; init; }

    /// <summary><c>requester</c>, <c>agent</c> or <c>dpo</c>: the role, never the address.</summary>
    public required string Recipient { get; init; }

    public required DateTimeOffset RequestedAt { get; init; }

    /// <summary>When the mail server accepted it; null while unsent.</summary>
    public required DateTimeOffset? SentAt { get; init; }
}

/// <summary>What the erasure did in every store that held (or may have held) the subject.</summary>
public sealed record ErasureCertificate
{
    /// <summary>True when every store is completed.</summary>
    public required bool AllStoresCompleted { get; init; }

    public required IReadOnlyList<StoreErasure> Stores { get; init; }
}

/// <summary>One store's step of the case: for an erasure certificate, and for <see cref="CaseEvidence.StoreActions"/> whatever the action.</summary>
public sealed record StoreErasure
{
    public required string StoreId { get; init; }

    /// <summary>What the step does in the store (<c>erase</c>, <c>restrict</c>, <c>liftRestriction</c>, <c>eraseHeld</c>, <c>export</c>).</summary>
    public required StoreActionKind Action { get; init; }

    /// <summary><c>completed</c>, <c>failed</c> (tried again later) or <c>pending</c>.</summary>
    public required StoreStatus Outcome { get; init; }

    public required int RowsFound { get; init; }

    public required int RowsAffected { get; init; }

    public required DateTimeOffset? CompletedAt { get; init; }

    /// <summary>How many attempts failed before the outcome.</summary>
    public required int Failures { get; init; }

    /// <summary>Why the store is not (yet) done, or why it could not be searched.</summary>
    public required string? Reason { get; init; }

    /// <summary>When the DPO marked the store done by hand: the evidence recorded.</summary>
    public required string? ManualEvidence { get; init; }

    /// <summary>Rows kept under a legal hold (Art 17(3)), restricted instead of erased: entity, rows, legal basis, the day the hold ends.</summary>
    public IReadOnlyList<HeldData> Held { get; init; } = [];
}
