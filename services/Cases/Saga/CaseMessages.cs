using Closely.BuildingBlocks.Privacy;
using Closely.Contracts;
using MassTransit;

namespace Closely.Cases.Saga;

/// <summary>What the case saga sends and publishes: the commands of its steps and its status for read models.</summary>
internal static class CaseMessages
{
    public static Task SendVerifyIdentity(this BehaviorContext<CaseState> context) =>
        context.SendCommand(CommandQueues.VerifyIdentity, new VerifyIdentity
        {
            CaseId = context.Saga.CorrelationId,
            Reference = context.Saga.Reference,
            SealedRequesterEmail = BusSeal.Seal(context.Protector(), context.Saga.CorrelationId, BusSeal.RequesterEmail, context.Saga.RequesterEmail),
            Language = context.Saga.Language,
        });

    public static Task SendLocateSubjectData(this BehaviorContext<CaseState> context) =>
        context.SendCommand(CommandQueues.LocateSubjectData, new LocateSubjectData
        {
            CaseId = context.Saga.CorrelationId,
            SealedSubjectEmail = context.SealedSubjectEmail(),
        });

    /// <summary>Each store's action (the export for access and portability) to every store of the case in <paramref name="status"/>.</summary>
    public static async Task SendStoreActions(this BehaviorContext<CaseState> context, StoreStatus status)
    {
        foreach (var store in context.Saga.Stores.Where(s => s.Status == status))
        {
            if (context.Saga.PackageKind is { } kind)
            {
                await context.SendCommand(CommandQueues.ExportStoreData, new ExportStoreData
                {
                    CaseId = context.Saga.CorrelationId,
                    StoreId = store.StoreId,
                    Kind = kind,
                    SealedSubjectEmail = context.SealedSubjectEmail(),
                });
                continue;
            }

            await context.SendCommand(CommandQueues.ExecuteStoreAction, new ExecuteStoreAction
            {
                CaseId = context.Saga.CorrelationId,
                StoreId = store.StoreId,
                Action = store.Action,
                SealedSubjectEmail = context.SealedSubjectEmail(),
                Ground = store.Action == StoreActionKind.Restrict ? context.Saga.RestrictionGround : null,
                SealedCorrections = store.Action == StoreActionKind.Rectify
                    ? SealedCorrections.Seal(context.Protector(), context.Saga.CorrelationId,
                        SealedCorrections.Approved, context.Saga.ApprovedCorrections)
                    : null,
            });
        }
    }

    /// <summary>Every store has exported: DataLocator assembles the package from their parts.</summary>
    public static Task SendAssembleDataPackage(this BehaviorContext<CaseState> context) =>
        context.SendCommand(CommandQueues.AssembleDataPackage, new AssembleDataPackage
        {
            CaseId = context.Saga.CorrelationId,
            Reference = context.Saga.Reference,
            Kind = context.Saga.PackageKind ?? DataPackageKind.Access,
            StoreIds = [.. context.Saga.Stores.Select(s => s.StoreId)],
            Language = context.Saga.Language,
        });

    /// <summary>The command of the step the case waits in, again: the stores still pending, or those that failed.</summary>
    public static Task ResendPendingCommand(this BehaviorContext<CaseState> context) => context.Saga.CurrentState switch
    {
        CaseStates.AwaitingVerification => context.SendVerifyIdentity(),
        CaseStates.Locating => context.SendLocateSubjectData(),
        CaseStates.Executing => context.SendStoreActions(StoreStatus.Pending),
        CaseStates.Packaging => context.SendAssembleDataPackage(),
        _ => context.SendStoreActions(StoreStatus.Failed),
    };

    /// <summary>Tells read models (Intake's status, client callbacks) what the case looks like now; no personal data.</summary>
    public static Task PublishStatus(this BehaviorContext<CaseState> context)
    {
        var saga = context.Saga;
        return context.Publish(new CaseStatusChanged
        {
            CaseId = saga.CorrelationId,
            State = saga.CurrentState,
            Right = saga.Right,
            DueOn = saga.DueOn,
            Extended = saga.Extended,
            NeedsTriage = saga.NeedsTriage,
            ExtensionReason = saga.ExtensionReason,
            Stores = saga.Stores.Select(s => new StoreStatusView
            {
                StoreId = s.StoreId,
                Status = s.Status.ToString(),
                Reason = s.Reason,
                Action = System.Text.Json.JsonNamingPolicy.KebabCaseLower.ConvertName(s.Action.ToString()),
                // Until the rows a legal hold kept are erased (ADR 31).
                HeldUntil = s.Held.Count == 0 || saga.Stores.Exists(e => e.StoreId == s.StoreId && e.Action == StoreActionKind.EraseHeld && e.Status == StoreStatus.Completed)
                    ? null
                    : s.Held.Max(h => h.HoldEndsOn),
            }).ToList(),
            // The repository bumps the version when it saves this change.
            Version = saga.Version + 1,
        }, context.CancellationToken);
    }

    /// <summary>The keys that seal what the case's messages carry of the subject (ADR 38).</summary>
    public static PersonalDataProtector Protector(this BehaviorContext<CaseState> context) =>
        context.GetServiceOrCreateInstance<PersonalDataProtector>();

    private static byte[] SealedSubjectEmail(this BehaviorContext<CaseState> context) =>
        BusSeal.Seal(context.Protector(), context.Saga.CorrelationId, BusSeal.SubjectEmail, context.Saga.RequesterEmail);

    public static async Task SendCommand<T>(this BehaviorContext<CaseState> context, string queue, T message)
        where T : class
    {
        var endpoint = await context.GetSendEndpoint(new Uri($"queue:{queue}"));
        await endpoint.Send(message, context.CancellationToken);
    }
}
