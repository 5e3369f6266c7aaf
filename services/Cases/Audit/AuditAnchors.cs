using Closely.Cases.Persistence;
using Closely.Cases.Saga;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Closely.Cases.Audit;

/// <summary>A case's chain head as the latest anchor recorded it, with the proof that the anchor's signed root covers it.</summary>
public sealed record AnchoredHead(AuditAnchor Anchor, AnchorLeaf Leaf, int LeafIndex, IReadOnlyList<string> AuditPath);

/// <summary>
/// Writes anchors (ADR 16): every <see cref="AuditOptions.AnchorInterval"/> a signed statement of every case's chain
/// head, as a Merkle root, appended to <see cref="AnchorFile"/>; and reads the latest one back for a verification or
/// an evidence export. Several instances write one anchor per interval: the writer holds a PostgreSQL advisory lock
/// and looks at the file again once it has it.
/// </summary>
public sealed partial class AuditAnchors(
    AnchorFile file,
    AnchorKeys keys,
    IServiceScopeFactory scopes,
    IOptions<AuditOptions> options,
    TimeProvider clock,
    ILogger<AuditAnchors> logger)
{
    /// <summary>The advisory lock of the anchor writer: "anchor" in ASCII.</summary>
    private const long WriterLock = 0x616e63686f72;

    /// <summary>The latest anchor whose signature verifies; earlier ones stand if a later line is not genuine.</summary>
    public AuditAnchor? Latest()
    {
        foreach (var anchor in file.NewestFirst())
        {
            if (keys.Verify(anchor.KeyId, anchor.Statement, anchor.Signature)
                && anchor.TreeSize == anchor.Leaves.Count
                && Convert.ToHexStringLower(MerkleTree.Root(anchor.Leaves.Select(l => l.Hash()).ToList())) == anchor.Root)
            {
                return anchor;
            }

            LogNotGenuine(anchor.Sequence);
        }

        return null;
    }

    /// <summary>The latest anchor's record of case <paramref name="caseId"/>; null when no anchor covers it yet.</summary>
    public AnchoredHead? HeadOf(Guid caseId)
    {
        var anchor = Latest();
        var index = anchor is null ? -1 : anchor.Leaves.ToList().FindIndex(l => l.CaseId == caseId);
        if (index < 0)
        {
            return null;
        }

        var path = MerkleTree.Path(anchor!.Leaves.Select(l => l.Hash()).ToList(), index);
        return new AnchoredHead(anchor, anchor.Leaves[index], index, path.Select(Convert.ToHexStringLower).ToList());
    }

    /// <summary>
    /// Writes an anchor of every case's chain head now, or, with <paramref name="onlyWhenDue"/>, only when the latest
    /// is older than the interval. Returns the anchor written, or null.
    /// </summary>
    public async Task<AuditAnchor?> WriteAsync(bool onlyWhenDue, CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CasesDbContext>();
        var strategy = db.Database.CreateExecutionStrategy();
        return await strategy.ExecuteAsync(async ct =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            await db.Database.ExecuteSqlAsync($"SELECT pg_advisory_xact_lock({WriterLock})", ct);
            var latest = Latest();
            var now = clock.GetUtcNow();
            if (onlyWhenDue && latest is not null && latest.AnchoredAt + options.Value.AnchorInterval > now)
            {
                return null;
            }

            var leaves = await db.Cases.AsNoTracking()
                .OrderBy(c => c.CorrelationId)
                .Select(c => new AnchorLeaf(c.CorrelationId, c.AuditCount, c.AuditHead))
                .ToListAsync(ct);
            var anchor = new AuditAnchor
            {
                Sequence = (latest?.Sequence ?? 0) + 1,
                AnchoredAt = new DateTimeOffset(now.UtcTicks - (now.UtcTicks % 10), TimeSpan.Zero),
                KeyId = keys.KeyId,
                TreeSize = leaves.Count,
                Root = Convert.ToHexStringLower(MerkleTree.Root(leaves.Select(l => l.Hash()).ToList())),
                Previous = latest?.StatementHash ?? CaseAudit.GenesisHash,
                Leaves = leaves,
            };
            anchor = anchor with { Signature = keys.Sign(anchor.Statement) };
            file.Append(anchor);
            await transaction.CommitAsync(ct);
            LogWritten(anchor.Sequence, anchor.TreeSize, anchor.Root);
            return anchor;
        }, cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Audit anchor {Sequence} written: the chain heads of {Cases} cases, Merkle root {Root}")]
    private partial void LogWritten(long sequence, int cases, string root);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Audit anchor {Sequence} in the anchor file does not verify against its signature and root; the anchor before it stands")]
    private partial void LogNotGenuine(long sequence);
}
