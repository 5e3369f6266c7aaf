using Closely.BuildingBlocks.Privacy;
using Closely.Contracts;
using MassTransit;

namespace Closely.Identity.Verification;

/// <summary>
/// Sends the requester a signed, single-use, expiring link. Idempotent per case: while a link of the case
/// is valid, or once the case is verified, a re-sent <see cref="VerifyIdentity"/> changes nothing; after the
/// last link expired it sends a fresh one.
/// </summary>
public sealed partial class VerifyIdentityConsumer(VerificationService verifications, PersonalDataProtector protector, ILogger<VerifyIdentityConsumer> logger)
    : IConsumer<VerifyIdentity>
{
    public async Task Consume(ConsumeContext<VerifyIdentity> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var message = context.Message;
        var outcome = await verifications.IssueAsync(
            message.CaseId, message.Reference, message.RequesterEmail(protector), message.Language, context.CancellationToken);
        if (outcome != IssueOutcome.Issued)
        {
            LogNothingToDo(message.CaseId, outcome);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "VerifyIdentity for case {CaseId} needs no new link: {Outcome}")]
    private partial void LogNothingToDo(Guid caseId, IssueOutcome outcome);
}
