using System.Globalization;
using Closely.BuildingBlocks.Localization;
using Closely.BuildingBlocks.Privacy;
using Closely.Contracts;
using Closely.Identity.Persistence;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Closely.Identity.Verification;

public enum IssueOutcome
{
    /// <summary>A new link was stored and its email handed to Notification.</summary>
    Issued,

    /// <summary>A link of the case is still valid; nothing was done.</summary>
    ActiveLinkExists,

    /// <summary>The case is verified already; no link is needed.</summary>
    AlreadyVerified,

    /// <summary>Another request issued the link at the same moment; nothing more was done.</summary>
    IssuedConcurrently,
}

public enum LinkState
{
    NotValid,
    Valid,
    Expired,
    Used,
}

/// <summary>What a link stands for: its row (when genuine) and whether it can still be used.</summary>
public sealed record LinkLookup(LinkState State, EmailVerification? Verification);

/// <summary>
/// Issues, looks up and uses verification links. The link's email leaves (through Notification) before the
/// new row commits, and the event of a used link is published before its use commits, so that a failure
/// never leaves a row without its email or a used link without its event; the narrow window after the
/// message and before the commit can at worst repeat it, which the receivers' idempotency absorbs.
/// </summary>
public sealed partial class VerificationService(
    IdentityDbContext db,
    VerificationLinks links,
    IBus bus,
    TimeProvider time,
    IOptions<IdentityOptions> options,
    ILogger<VerificationService> logger)
{
    public const string Method = "email-link";
    public const string NotificationTemplate = "verify-identity";

    private static readonly Uri SendNotificationQueue = new("queue:" + CommandQueues.SendNotification);

    /// <summary>
    /// Issues a link for the case and sends it, unless a link of the case is still valid: then it keeps that one and
    /// sends nothing (a re-sent <see cref="VerifyIdentity"/>, a second press of "send me a new link"), so that one
    /// address cannot be sent a new link on every call. The email and the link's page are in the case's
    /// <paramref name="language"/>.
    /// </summary>
    public async Task<IssueOutcome> IssueAsync(
        Guid caseId, string reference, string requesterEmail, string? language, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reference);
        ArgumentNullException.ThrowIfNull(requesterEmail);
        var caseLanguage = PublicLanguages.Of(language).Code;
        var strategy = db.Database.CreateExecutionStrategy();
        try
        {
            return await strategy.ExecuteAsync(async ct =>
            {
                db.ChangeTracker.Clear();
                await using var transaction = await db.Database.BeginTransactionAsync(ct);
                var now = time.GetUtcNow();
                var existing = await db.Verifications.AsNoTracking().Where(v => v.CaseId == caseId).ToListAsync(ct);
                if (existing.Any(v => v.UsedAt is not null))
                {
                    return IssueOutcome.AlreadyVerified;
                }

                if (existing.Any(v => v.ExpiresAt > now))
                {
                    return IssueOutcome.ActiveLinkExists;
                }

                var verification = new EmailVerification
                {
                    TokenId = VerificationLinks.NewTokenId(),
                    CaseId = caseId,
                    Reference = reference,
                    RequesterEmail = requesterEmail,
                    IssueNumber = existing.Count == 0 ? 1 : existing.Max(v => v.IssueNumber) + 1,
                    IssuedAt = now,
                    // Whole seconds: the signature covers the expiry in Unix seconds.
                    ExpiresAt = DateTimeOffset.FromUnixTimeSeconds((now + options.Value.LinkLifetime).ToUnixTimeSeconds()),
                    Language = caseLanguage,
                };
                db.Verifications.Add(verification);
                await db.SaveChangesAsync(ct);

                var endpoint = await bus.GetSendEndpoint(SendNotificationQueue);
                await endpoint.Send(new SendNotification
                {
                    CaseId = caseId,
                    NotificationKey = VerifyIdentity.EmailKeyPrefix + verification.TokenId,
                    Template = NotificationTemplate,
                    // The address and the link (a credential) travel sealed (ADR 38).
                    SealedRecipientEmail = BusSeal.Seal(db.Protector, caseId, BusSeal.RecipientEmail, requesterEmail),
                    SealedValues = BusSeal.SealJson(db.Protector, caseId, BusSeal.NotificationValues, new Dictionary<string, string>
                    {
                        ["reference"] = reference,
                        ["link"] = links.Link(verification).ToString(),
                        ["expiresAt"] = verification.ExpiresAt.ToString("O", CultureInfo.InvariantCulture),
                    }),
                    Language = caseLanguage,
                }, ct);
                await transaction.CommitAsync(ct);
                LogIssued(caseId, verification.IssueNumber, verification.ExpiresAt);
                return IssueOutcome.Issued;
            }, cancellationToken);
        }
        catch (DbUpdateException e) when (e.InnerException is PostgresException { SqlState: PostgresErrorCodes.UniqueViolation })
        {
            return IssueOutcome.IssuedConcurrently;
        }
    }

    /// <summary>Finds the link's row and tells whether the link is genuine, valid, expired or used. Changes nothing.</summary>
    public async Task<LinkLookup> LookUpAsync(string token, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(token);
        var tokenId = VerificationLinks.TokenIdOf(token);
        if (tokenId is null)
        {
            return new(LinkState.NotValid, null);
        }

        var verification = await db.Verifications.AsNoTracking().SingleOrDefaultAsync(v => v.TokenId == tokenId, cancellationToken);
        if (verification is null || !links.IsGenuine(token, verification))
        {
            return new(LinkState.NotValid, null);
        }

        // Once any link of the case was used, the case is confirmed: every link of it says so.
        if (verification.UsedAt is not null
            || await db.Verifications.AnyAsync(v => v.CaseId == verification.CaseId && v.UsedAt != null, cancellationToken))
        {
            return new(LinkState.Used, verification);
        }

        return verification.ExpiresAt <= time.GetUtcNow()
            ? new(LinkState.Expired, verification)
            : new(LinkState.Valid, verification);
    }

    /// <summary>
    /// Uses the link: marks it used unless it was used or expired meanwhile, and publishes
    /// <see cref="IdentityVerified"/>. Returns false when the link could not be used; nothing is published then.
    /// </summary>
    public async Task<bool> ConfirmAsync(EmailVerification verification, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(verification);
        var strategy = db.Database.CreateExecutionStrategy();
        var confirmed = await strategy.ExecuteAsync(async ct =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            var now = time.GetUtcNow();
            // A second POST waits on the row lock of the first and then finds used_at set: one verification.
            var updated = await db.Verifications
                .Where(v => v.TokenId == verification.TokenId && v.UsedAt == null && v.ExpiresAt > now)
                .ExecuteUpdateAsync(set => set.SetProperty(v => v.UsedAt, now), ct);
            if (updated != 1)
            {
                return false;
            }

            await bus.Publish(new IdentityVerified { CaseId = verification.CaseId, Method = Method, VerifiedAt = now }, ct);
            await transaction.CommitAsync(ct);
            return true;
        }, cancellationToken);

        if (confirmed)
        {
            LogVerified(verification.CaseId);
        }

        return confirmed;
    }

    /// <summary>Issues a new link for the case of an expired one, in the case's language, unless a newer one is still valid.</summary>
    public Task<IssueOutcome> RenewAsync(EmailVerification expired, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(expired);
        LogRenewing(expired.CaseId);
        return IssueAsync(
            expired.CaseId, expired.Reference, expired.RequesterEmail, expired.Language, cancellationToken);
    }

    // Never the email address or the token: the case id identifies the request.
    [LoggerMessage(Level = LogLevel.Information, Message = "Issued verification link {IssueNumber} for case {CaseId}, valid until {ExpiresAt}")]
    private partial void LogIssued(Guid caseId, int issueNumber, DateTimeOffset expiresAt);

    [LoggerMessage(Level = LogLevel.Information, Message = "Identity verified by email link for case {CaseId}")]
    private partial void LogVerified(Guid caseId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Renewing the expired verification link of case {CaseId}")]
    private partial void LogRenewing(Guid caseId);
}
