using Closely.Contracts;
using Closely.Identity.Persistence;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace Closely.Identity.Retention;

/// <summary>
/// Removes the requester's address from every verification link of a case whose retention has ended (ADR 36); the
/// links' ids, reference, issue numbers and dates stay as the record of the verification. A repeat changes nothing.
/// Named for what it keeps, so that its queue (<c>verification-retention</c>) is not shared with another service's consumer of the event.
/// </summary>
public sealed partial class VerificationRetentionConsumer(IdentityDbContext db, ILogger<VerificationRetentionConsumer> logger)
    : IConsumer<CaseRetentionEnded>
{
    public async Task Consume(ConsumeContext<CaseRetentionEnded> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var caseId = context.Message.CaseId;
        var links = await db.Verifications.Where(v => v.CaseId == caseId).ToListAsync(context.CancellationToken);
        foreach (var link in links)
        {
            link.RequesterEmail = "";
        }

        await db.SaveChangesAsync(context.CancellationToken);
        LogRemoved(caseId, links.Count);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Case {CaseId}: retention ended; the address removed from {Links} verification links")]
    private partial void LogRemoved(Guid caseId, int links);
}
