using Closely.Contracts;
using Closely.Intake.Persistence;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace Closely.Intake.Retention;

/// <summary>
/// Removes the personal data of a request whose case's retention has ended (ADR 36), with its documents. The
/// suppression list stays: an objection to direct marketing holds for good. A repeat finds nothing left to remove.
/// Named for what it keeps, so that its queue (<c>request-retention</c>) is not shared with another service's consumer of the event.
/// </summary>
public sealed partial class RequestRetentionConsumer(IntakeDbContext db, ILogger<RequestRetentionConsumer> logger)
    : IConsumer<CaseRetentionEnded>
{
    public async Task Consume(ConsumeContext<CaseRetentionEnded> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var caseId = context.Message.CaseId;
        var request = await db.Requests.Include(r => r.Attachments).SingleOrDefaultAsync(r => r.Id == caseId, context.CancellationToken);
        if (request is null)
        {
            return;
        }

        request.RemovePersonalData();
        await db.SaveChangesAsync(context.CancellationToken);
        LogRemoved(caseId);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Request {CaseId}: retention ended; personal data removed")]
    private partial void LogRemoved(Guid caseId);
}
