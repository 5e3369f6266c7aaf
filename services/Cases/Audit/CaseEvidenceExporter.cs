using System.Text.Json;
using Closely.BuildingBlocks.Privacy;
using Closely.Cases.Persistence;
using Closely.Cases.Saga;
using Closely.Contracts;
using Microsoft.EntityFrameworkCore;

namespace Closely.Cases.Audit;

/// <summary>Builds a case's <see cref="CaseEvidence"/>: the case, its verified audit trail, its notices and, for erasure, the per-store certificate.</summary>
public sealed class CaseEvidenceExporter(
    CasesDbContext db, CaseAuditVerifier verifier, CaseAuditChain chain, AuditAnchors anchors, PersonalDataProtector protector, TimeProvider clock)
{
    private const string VerifiedPrefix = "Identity established by ";

    /// <summary>The evidence of case <paramref name="caseId"/>; null when there is no such case.</summary>
    public async Task<CaseEvidence?> ExportAsync(Guid caseId, CancellationToken cancellationToken)
    {
        var saga = await db.Cases.AsNoTracking().SingleOrDefaultAsync(c => c.CorrelationId == caseId, cancellationToken);
        if (saga is null)
        {
            return null;
        }

        var entries = await verifier.EntriesAsync(caseId, cancellationToken);
        var anchored = anchors.HeadOf(caseId);
        var now = clock.GetUtcNow();
        var verified = entries.LastOrDefault(e => e.Action == "identity-verified");
        return new CaseEvidence
        {
            GeneratedAt = now,
            Case = new EvidenceCase
            {
                CaseId = saga.CorrelationId,
                Reference = saga.Reference,
                Right = saga.Right,
                Channel = saga.Channel,
                State = JsonNamingPolicy.KebabCaseLower.ConvertName(saga.CurrentState),
                RequesterEmail = saga.RequesterEmail,
                MadeThroughAgent = saga.AgentEmail is not null,
                AgentAuthority = saga.Authority,
                ClientId = saga.ClientId,
                ReceivedAt = saga.ReceivedAt,
                ReceivedOn = saga.ReceivedOn,
                DueAt = saga.DueAt,
                DueOn = saga.DueOn,
                TargetAt = saga.TargetAt,
                TargetOn = saga.TargetOn,
                Extended = saga.Extended,
                ExtensionReason = saga.ExtensionReason,
                IdentityVerifiedAt = saga.VerifiedAt,
                IdentityVerificationMethod = verified is null ? null : MethodOf(verified.Detail),
                ClosedAt = saga.ClosedAt,
                Outcome = saga.Outcome,
            },
            ChainVerification = CaseAuditVerifier.Verify(caseId, saga.AuditCount, saga.AuditHead, entries, anchored, chain, now),
            Timeline = entries.Select(e => new EvidenceTimelineEntry
            {
                Sequence = e.Sequence,
                At = e.At,
                Actor = ActorOf(e.Actor),
                Action = e.Action,
                Detail = e.Detail,
                KeyId = e.KeyId,
                PreviousHash = e.PreviousHash,
                Hash = e.Hash,
            }).ToList(),
            Anchor = anchored is null ? null : EvidenceAnchor.From(anchored),
            Notices = saga.Notices.Select(n => new EvidenceNotice
            {
                Template = n.Template,
                Recipient = n.To.ToLowerInvariant(),
                RequestedAt = n.RequestedAt,
                SentAt = n.SentAt,
            }).ToList(),
            ErasureCertificate = saga.Right == DataSubjectRight.Erasure ? Certificate(saga) : null,
            StoreActions = StoreSteps(saga),
            DataPackage = saga.Package is { } package ? Package(package) : null,
            Rectification = saga.Right == DataSubjectRight.Rectification
                ? new EvidenceRectification { Corrections = saga.Corrections, AllStoresCompleted = Certificate(saga).AllStoresCompleted, Stores = Certificate(saga).Stores }
                : null,
        };
    }

    /// <summary>Staff are named by their pseudonym (views of personal data are recorded with it already), the platform as <c>system</c>.</summary>
    private string ActorOf(string actor) =>
        actor == CaseAudit.System || actor.StartsWith(PersonalDataProtector.PseudonymPrefix, StringComparison.Ordinal) ? actor : protector.Pseudonym(actor);

    private static string MethodOf(string detail) =>
        detail.StartsWith(VerifiedPrefix, StringComparison.Ordinal) ? detail[VerifiedPrefix.Length..].TrimEnd('.') : detail;

    private static EvidencePackage Package(CasePackage package) => new()
    {
        PackageId = package.PackageId,
        Kind = package.Kind,
        Contents = package.Contents,
        TotalRows = package.Contents.Sum(c => c.Rows),
        Sha256 = package.Sha256,
        Bytes = package.Bytes,
        CreatedAt = package.CreatedAt,
        DeliveredAt = package.DeliveredAt,
        DownloadedAt = package.DownloadedAt,
        ExpiresAt = package.ExpiresAt,
        PurgedAt = package.PurgedAt,
    };

    private static ErasureCertificate Certificate(CaseState saga) => new()
    {
        AllStoresCompleted = saga.Stores.TrueForAll(s => s.Status == StoreStatus.Completed),
        Stores = StoreSteps(saga),
    };

    private static List<StoreErasure> StoreSteps(CaseState saga) => saga.Stores.Select(s => new StoreErasure
    {
        StoreId = s.StoreId,
        Action = s.Action,
        Outcome = s.Status,
        RowsFound = s.RowsFound,
        RowsAffected = s.RowsAffected,
        CompletedAt = s.CompletedAt,
        Failures = s.Failures,
        Reason = s.Reason,
        ManualEvidence = s.ManualEvidence,
        Held = s.Held,
    }).ToList();
}
