using System.Diagnostics;
using Closely.BuildingBlocks.Deadlines;
using Closely.BuildingBlocks.Privacy;
using Closely.Contracts;
using Closely.Intake.Outbox;
using Closely.Intake.Persistence;
using Microsoft.EntityFrameworkCore;
using Npgsql;

namespace Closely.Intake.Requests;

/// <summary>A request from any channel, validated, about to be stored.</summary>
public sealed record NewRequest
{
    public required DataSubjectRight Right { get; init; }

    public required IntakeChannel Channel { get; init; }

    /// <summary>The data subject's email.</summary>
    public required string Email { get; init; }

    public required string FullName { get; init; }

    public string? Details { get; init; }

    /// <summary>For a restriction, the Art 18(1) ground the requester chose; null when none (the DPO asks).</summary>
    public RestrictionGround? RestrictionGround { get; init; }

    /// <summary>For a rectification, the structured corrections (ADR 29); empty when none were given.</summary>
    public IReadOnlyList<FieldCorrection> Corrections { get; init; } = [];

    /// <summary>The language the requester is answered in, a code of <see cref="Closely.BuildingBlocks.Localization.PublicLanguages"/>.</summary>
    public required string Language { get; init; }

    public bool NeedsTriage { get; init; }

    public double? ClassificationConfidence { get; init; }

    public string? AgentEmail { get; init; }

    public string? AgentFullName { get; init; }

    public string? ClientId { get; init; }

    public string? IdempotencyKey { get; init; }

    public byte[]? IdempotencyFingerprint { get; init; }

    public byte[]? MessageIdHash { get; init; }

    public IReadOnlyList<NewAttachment> Attachments { get; init; } = [];

    /// <summary>
    /// When the request reached Closely, if that was before it is stored (a mail's arrival in the mailbox):
    /// the statutory clock starts then. Null, or a time in the future, means now.
    /// </summary>
    public DateTimeOffset? ReceivedAt { get; init; }

    /// <summary>An opt-out, or an objection to direct marketing: the address goes on the suppression list in the same transaction.</summary>
    public bool Suppress { get; init; }

    /// <summary>
    /// The ground the request is restricted under, if any: the requester's for a restriction; for an objection (Art 21)
    /// that is not to direct marketing (which <see cref="Suppress"/> carries out), Art 18(1)(d), objection pending, while
    /// the DPO weighs Closely's grounds against the subject's. An objection whose right is still to be triaged has none.
    /// </summary>
    public RestrictionGround? Ground => Right == DataSubjectRight.Objection && !Suppress && !NeedsTriage
        ? Contracts.RestrictionGround.ObjectionPending
        : RestrictionGround;
}

public sealed record NewAttachment(AttachmentKind Kind, string FileName, string ContentType, byte[] Content);

/// <summary>What became of a stored request; <see cref="StatusToken"/> is null for a duplicate (it is not given out again).</summary>
public sealed record StoredRequest(
    Guid Id,
    string Reference,
    DataSubjectRight Right,
    DateTimeOffset ReceivedAt,
    DateOnly DueOn,
    string? StatusToken,
    bool Duplicate,
    byte[]? IdempotencyFingerprint);

/// <summary>
/// Stores requests from every channel the same way: personal data encrypted, the email's blind index,
/// a fresh reference and status token, the trace it arrived in; then wakes the outbox, which publishes
/// <see cref="DsrReceived"/> from the row. A request already stored under the same client
/// Idempotency-Key or mail Message-ID is not stored again: the first one is returned as a duplicate.
/// </summary>
public sealed class RequestStore(
    IntakeDbContext db,
    PersonalDataProtector protector,
    StatutoryDeadlines deadlines,
    OutboxSignal outbox,
    TimeProvider clock)
{
    public const string DirectMarketingScope = "direct-marketing";
    private const int ReferenceAttempts = 5;

    public async Task<StoredRequest> StoreAsync(NewRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (await FindDuplicateAsync(request, cancellationToken) is { } existing)
        {
            return existing;
        }

        var now = clock.GetUtcNow();
        var receivedAt = request.ReceivedAt is { } arrived && arrived < now ? arrived.ToUniversalTime() : now;
        var schedule = deadlines.For(receivedAt);
        var token = RequestTokens.NewStatusToken();
        for (var attempt = 1; ; attempt++)
        {
            var row = NewRow(request, receivedAt, schedule.ReceivedOn.Year, token);
            db.Requests.Add(row);
            if (request.Suppress)
            {
                await AddSuppressionAsync(row, cancellationToken);
            }

            try
            {
                await db.SaveChangesAsync(cancellationToken);
                outbox.Notify();
                return new StoredRequest(row.Id, row.Reference, row.Right, receivedAt, schedule.DueOn, token, false, row.IdempotencyFingerprint);
            }
            catch (DbUpdateException exception) when (exception.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation } unique)
            {
                db.ChangeTracker.Clear();
                if (unique.ConstraintName is IntakeDbContext.IdempotencyKeyIndex or IntakeDbContext.MessageIdIndex
                    && await FindDuplicateAsync(request, cancellationToken) is { } concurrent)
                {
                    // The same request, stored concurrently by a retry of the client or a second poller.
                    return concurrent;
                }

                if (attempt >= ReferenceAttempts)
                {
                    throw;
                }

                // The reference was taken: draw another.
            }
        }
    }

    private IntakeRequest NewRow(NewRequest request, DateTimeOffset receivedAt, int year, string token)
    {
        var id = Guid.CreateVersion7(receivedAt);
        return new IntakeRequest
        {
            Id = id,
            Reference = RequestTokens.NewReference(year),
            Right = request.Right,
            Channel = request.Channel,
            ReceivedAt = receivedAt,
            Email = request.Email,
            EmailIndex = protector.EmailIndex(request.Email),
            FullName = request.FullName,
            Details = request.Details,
            RestrictionGround = request.Ground,
            Corrections = request.Corrections.Count == 0 ? null : System.Text.Json.JsonSerializer.Serialize(request.Corrections, System.Text.Json.JsonSerializerOptions.Web),
            StatusTokenHash = RequestTokens.Hash(token),
            StatusToken = token,
            Language = request.Language,
            NeedsTriage = request.NeedsTriage,
            ClassificationConfidence = request.ClassificationConfidence,
            AgentEmail = request.AgentEmail,
            AgentFullName = request.AgentFullName,
            ClientId = request.ClientId,
            IdempotencyKey = request.IdempotencyKey,
            IdempotencyFingerprint = request.IdempotencyFingerprint,
            MessageIdHash = request.MessageIdHash,
            TraceParent = Activity.Current?.Id,
            Attachments = request.Attachments.Select(a => new RequestAttachment
            {
                Id = Guid.CreateVersion7(receivedAt),
                RequestId = id,
                Kind = a.Kind,
                FileName = a.FileName,
                ContentType = a.ContentType,
                Content = a.Content,
                SizeBytes = a.Content.Length,
            }).ToList(),
        };
    }

    private async Task AddSuppressionAsync(IntakeRequest row, CancellationToken cancellationToken)
    {
        var index = row.EmailIndex;
        var listed = await db.Suppressions.AnyAsync(s => s.EmailIndex == index && s.Scope == DirectMarketingScope, cancellationToken);
        if (!listed)
        {
            db.Suppressions.Add(new Suppression { EmailIndex = index, Scope = DirectMarketingScope, SuppressedAt = row.ReceivedAt, CaseId = row.Id });
        }
    }

    private async Task<StoredRequest?> FindDuplicateAsync(NewRequest request, CancellationToken cancellationToken)
    {
        IQueryable<IntakeRequest> query;
        if (request.IdempotencyKey is not null)
        {
            query = db.Requests.Where(r => r.ClientId == request.ClientId && r.IdempotencyKey == request.IdempotencyKey);
        }
        else if (request.MessageIdHash is not null)
        {
            var hash = request.MessageIdHash;
            query = db.Requests.Where(r => r.MessageIdHash == hash);
        }
        else
        {
            return null;
        }

        var found = await query.AsNoTracking()
            .Select(r => new { r.Id, r.Reference, r.Right, r.ReceivedAt, r.IdempotencyFingerprint })
            .SingleOrDefaultAsync(cancellationToken);
        return found is null
            ? null
            : new StoredRequest(found.Id, found.Reference, found.Right, found.ReceivedAt, deadlines.For(found.ReceivedAt).DueOn, null, true, found.IdempotencyFingerprint);
    }
}
