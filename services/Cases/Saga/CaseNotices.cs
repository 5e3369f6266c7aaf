using Closely.BuildingBlocks.Privacy;
using Closely.Contracts;
using MassTransit;

namespace Closely.Cases.Saga;

/// <summary>Asks Notification for a case's emails and keeps the case's list of them (roles, never addresses).</summary>
internal sealed class CaseNotices(TimeProvider clock, string dpoEmail)
{
    /// <summary>A notice to the requester, and a copy to the agent who acts for them.</summary>
    public async Task ToRequester(BehaviorContext<CaseState> context, Notice notice)
    {
        await SendAsync(context, notice, notice.Key, context.Saga.RequesterEmail, "requester");
        if (context.Saga.AgentEmail is { } agent)
        {
            await SendAsync(context, notice, notice.Key + "-agent", agent, "agent");
        }
    }

    public Task ToDpo(BehaviorContext<CaseState> context, Notice notice) =>
        SendAsync(context, notice, notice.Key, dpoEmail, "DPO");

    private Task SendAsync(BehaviorContext<CaseState> context, Notice notice, string key, string recipient, string to) =>
        context.SendCommand(CommandQueues.SendNotification, new SendNotification
        {
            CaseId = context.Saga.CorrelationId,
            NotificationKey = context.Saga.RequestNotice(key, notice.Template, to, clock.GetUtcNow()),
            Template = notice.Template,
            SealedRecipientEmail = BusSeal.Seal(context.Protector(), context.Saga.CorrelationId, BusSeal.RecipientEmail, recipient),
            SealedValues = BusSeal.SealJson(context.Protector(), context.Saga.CorrelationId, BusSeal.NotificationValues,
                NotificationValues.For(context.Saga, [.. notice.Values])),
            Language = context.Saga.Language,
        });
}
