using Closely.BuildingBlocks.Deadlines;
using Closely.BuildingBlocks.Privacy;
using Closely.Cases.Deadlines;
using Closely.Contracts;
using MassTransit;

namespace Closely.Cases.Saga;

/// <summary>
/// The data subject request case: received -> awaiting verification -> locating -> executing ->
/// completed, or partially completed while a store keeps failing; rejected when identity is not
/// established; rights whose execution is not automated wait for the DPO. Every transition re-plans
/// the case's next deadline, which the sweeper turns into a <see cref="DeadlineReached"/>.
/// </summary>
public sealed class CaseStateMachine : MassTransitStateMachine<CaseState>
{
    private readonly StatutoryDeadlines _deadlines;
    private readonly PersonalDataProtector _protector;
    private readonly CaseDeadlinePlanner _planner;
    private readonly TimeProvider _clock;
    private readonly string _dpoEmail;

    public CaseStateMachine(
        StatutoryDeadlines deadlines,
        PersonalDataProtector protector,
        CaseDeadlinePlanner planner,
        TimeProvider clock,
        Microsoft.Extensions.Options.IOptions<CasesOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _deadlines = deadlines;
        _protector = protector;
        _planner = planner;
        _clock = clock;
        _dpoEmail = options.Value.DpoEmail;

        InstanceState(x => x.CurrentState);

        Event(() => Received, e => e.CorrelateById(m => m.Message.CaseId));
        Event(() => Verified, e => e.CorrelateById(m => m.Message.CaseId));
        Event(() => IdentityRejected, e => e.CorrelateById(m => m.Message.CaseId));
        Event(() => Located, e => e.CorrelateById(m => m.Message.CaseId));
        Event(() => StoreCompleted, e => e.CorrelateById(m => m.Message.CaseId));
        Event(() => StoreFailed, e => e.CorrelateById(m => m.Message.CaseId));
        Event(() => Deadline, e =>
        {
            e.CorrelateById(m => m.Message.CaseId);
            e.OnMissingInstance(m => m.Discard());
        });

        Initially(
            When(Received)
                .Then(Open)
                .ThenAsync(c => SendCommand(c, CommandQueues.VerifyIdentity, new VerifyIdentity
                {
                    CaseId = c.Saga.CorrelationId,
                    Reference = c.Saga.Reference,
                    RequesterEmail = c.Saga.RequesterEmail,
                }))
                .ThenAsync(c => Notify(c, "acknowledgement", "acknowledgement", c.Saga.RequesterEmail))
                .TransitionTo(AwaitingVerification)
                .ThenAsync(PlanDeadlines));

        // Intake may publish a stored request again; the case already exists, so nothing happens.
        DuringAny(Ignore(Received));

        During(AwaitingVerification,
            When(Verified)
                .Then(c =>
                {
                    c.Saga.VerifiedAt = c.Message.VerifiedAt;
                    c.Saga.StepStartedAt = _clock.GetUtcNow();
                    c.Saga.StepResends = 0;
                })
                .IfElse(c => c.Saga.Right == DataSubjectRight.Erasure,
                    erasure => erasure
                        .ThenAsync(SendLocate)
                        .TransitionTo(Locating),
                    other => other.TransitionTo(AwaitingDpoAction))
                .ThenAsync(PlanDeadlines),
            When(IdentityRejected)
                .Then(c => Close(c.Saga, c.Message.Reason))
                .ThenAsync(c => Notify(c, "identity-rejected", "identity-rejected", c.Saga.RequesterEmail))
                .TransitionTo(Rejected)
                .ThenAsync(PlanDeadlines));

        During(Locating,
            When(Located)
                .Then(c =>
                {
                    c.Saga.Stores = c.Message.Stores
                        .Where(s => s.TotalRows > 0 || !s.Reachable)
                        .Select(s => new StoreProgress { StoreId = s.StoreId, RowsFound = s.TotalRows, Status = StoreStatus.Pending, Reason = s.Problem })
                        .ToList();
                    c.Saga.StepStartedAt = _clock.GetUtcNow();
                    c.Saga.StepResends = 0;
                })
                .IfElse(c => c.Saga.Stores.Count > 0,
                    found => found
                        .ThenAsync(c => SendStoreActions(c, StoreStatus.Pending))
                        .TransitionTo(Executing),
                    none => none
                        .Then(c => Close(c.Saga, "No data about the subject was found in any store."))
                        .ThenAsync(c => Notify(c, "completed", "erasure-completed", c.Saga.RequesterEmail))
                        .TransitionTo(Completed))
                .ThenAsync(PlanDeadlines));

        During(Executing, PartiallyCompleted,
            When(StoreCompleted)
                .Then(c => RecordCompleted(c.Saga, c.Message))
                .IfElse(c => c.Saga.Stores.TrueForAll(s => s.Status == StoreStatus.Completed),
                    done => done
                        .Then(c => Close(c.Saga, null))
                        .ThenAsync(c => Notify(c, "completed", "erasure-completed", c.Saga.RequesterEmail))
                        .TransitionTo(Completed),
                    notYet => notYet
                        .If(c => c.Saga.Stores.TrueForAll(s => s.Status != StoreStatus.Pending),
                            settled => settled.TransitionTo(PartiallyCompleted)))
                .ThenAsync(PlanDeadlines),
            When(StoreFailed)
                .Then(c => RecordFailed(c.Saga, c.Message))
                .If(c => c.Saga.CurrentState == Executing.Name && c.Saga.Stores.TrueForAll(s => s.Status != StoreStatus.Pending),
                    settled => settled
                        .Then(c => c.Saga.StepStartedAt = _clock.GetUtcNow())
                        .ThenAsync(c => Notify(c, "partially-completed", "dpo-partially-completed", _dpoEmail))
                        .TransitionTo(PartiallyCompleted))
                .ThenAsync(PlanDeadlines));

        DuringAny(
            When(Deadline)
                .ThenAsync(OnDeadline)
                .ThenAsync(PlanDeadlines));
    }

    public State AwaitingVerification { get; private set; } = null!;

    public State Locating { get; private set; } = null!;

    public State Executing { get; private set; } = null!;

    public State PartiallyCompleted { get; private set; } = null!;

    public State Completed { get; private set; } = null!;

    public State Rejected { get; private set; } = null!;

    /// <summary>Verified; the right's execution is not automated, so the DPO acts.</summary>
    public State AwaitingDpoAction { get; private set; } = null!;

    public Event<DsrReceived> Received { get; private set; } = null!;

    public Event<IdentityVerified> Verified { get; private set; } = null!;

    public Event<IdentityRejected> IdentityRejected { get; private set; } = null!;

    public Event<SubjectDataLocated> Located { get; private set; } = null!;

    public Event<StoreActionCompleted> StoreCompleted { get; private set; } = null!;

    public Event<StoreActionFailed> StoreFailed { get; private set; } = null!;

    public Event<DeadlineReached> Deadline { get; private set; } = null!;

    /// <summary>A closed case has its outcome; no deadline applies to it any more.</summary>
    public bool IsClosed(CaseState saga)
    {
        ArgumentNullException.ThrowIfNull(saga);
        return saga.CurrentState == Completed.Name || saga.CurrentState == Rejected.Name;
    }

    /// <summary>A step whose answer comes from another service, so its command may need re-sending.</summary>
    public bool IsWaitingOnMachineStep(CaseState saga)
    {
        ArgumentNullException.ThrowIfNull(saga);
        return saga.CurrentState == AwaitingVerification.Name
            || saga.CurrentState == Locating.Name
            || saga.CurrentState == Executing.Name;
    }

    private void Open(BehaviorContext<CaseState, DsrReceived> context)
    {
        var saga = context.Saga;
        var message = context.Message;
        var schedule = _deadlines.For(message.ReceivedAt);
        saga.Reference = message.Reference;
        saga.Right = message.Right;
        saga.Channel = message.Channel;
        saga.ReceivedAt = message.ReceivedAt;
        saga.ReceivedOn = schedule.ReceivedOn;
        saga.DueAt = schedule.DueAt;
        saga.DueOn = schedule.DueOn;
        saga.TargetAt = schedule.TargetAt;
        saga.TargetOn = schedule.TargetOn;
        saga.RequesterEmail = PersonalDataProtector.NormaliseEmail(message.RequesterEmail);
        saga.RequesterEmailIndex = _protector.EmailIndex(message.RequesterEmail);
        saga.StepStartedAt = _clock.GetUtcNow();
    }

    private void Close(CaseState saga, string? outcome)
    {
        saga.ClosedAt = _clock.GetUtcNow();
        saga.Outcome = outcome;
    }

    /// <summary>Every handler ends here: plan the next deadline and tell read models what changed.</summary>
    private async Task PlanDeadlines(BehaviorContext<CaseState> context)
    {
        var saga = context.Saga;
        _planner.Plan(saga, this);
        await context.Publish(new CaseStatusChanged
        {
            CaseId = saga.CorrelationId,
            State = saga.CurrentState,
            Right = saga.Right,
            DueOn = saga.DueOn,
            Extended = saga.Extended,
            Stores = saga.Stores.Select(s => new StoreStatusView { StoreId = s.StoreId, Status = s.Status.ToString(), Reason = s.Reason }).ToList(),
            // The repository bumps the version when it saves this change.
            Version = saga.Version + 1,
        }, context.CancellationToken);
    }

    private void RecordCompleted(CaseState saga, StoreActionCompleted message)
    {
        var store = saga.Stores.Find(s => s.StoreId == message.StoreId);
        if (store is null || store.Status == StoreStatus.Completed)
        {
            return;
        }

        store.Status = StoreStatus.Completed;
        store.RowsAffected = message.RowsAffected;
        store.CompletedAt = message.CompletedAt;
        store.Reason = null;
    }

    private static void RecordFailed(CaseState saga, StoreActionFailed message)
    {
        var store = saga.Stores.Find(s => s.StoreId == message.StoreId);
        if (store is null || store.Status == StoreStatus.Completed)
        {
            return;
        }

        store.Status = StoreStatus.Failed;
        store.Failures++;
        store.Reason = message.Reason;
    }

    private async Task OnDeadline(BehaviorContext<CaseState, DeadlineReached> context)
    {
        var saga = context.Saga;
        var now = _clock.GetUtcNow();
        switch (context.Message.Kind)
        {
            case DeadlineKind.StepTimeout when _planner.StepTimeoutOf(saga, this) is { } timeout && now >= saga.StepStartedAt + timeout:
                saga.StepResends++;
                saga.StepStartedAt = now;
                await ResendPendingCommand(context);
                break;
            case DeadlineKind.TargetReminder when !saga.TargetReminderSent && !IsClosed(saga):
                saga.TargetReminderSent = true;
                await Notify(context, "reminder-target", "dpo-reminder-target", _dpoEmail);
                break;
            case DeadlineKind.DueReminder when !saga.DueReminderSent && !IsClosed(saga):
                saga.DueReminderSent = true;
                await Notify(context, "reminder-due", "dpo-reminder-due", _dpoEmail);
                break;
            case DeadlineKind.Overdue when !saga.OverdueEscalated && !IsClosed(saga):
                saga.OverdueEscalated = true;
                await Notify(context, "overdue", "dpo-overdue", _dpoEmail);
                break;
            default:
                // A deadline fired twice or overtaken by progress: nothing is owed.
                break;
        }
    }

    private Task ResendPendingCommand(BehaviorContext<CaseState> context)
    {
        var state = context.Saga.CurrentState;
        if (state == AwaitingVerification.Name)
        {
            return SendCommand(context, CommandQueues.VerifyIdentity, new VerifyIdentity
            {
                CaseId = context.Saga.CorrelationId,
                Reference = context.Saga.Reference,
                RequesterEmail = context.Saga.RequesterEmail,
            });
        }

        if (state == Locating.Name)
        {
            return SendLocate(context);
        }

        return SendStoreActions(context, state == Executing.Name ? StoreStatus.Pending : StoreStatus.Failed);
    }

    private static Task SendLocate(BehaviorContext<CaseState> context) =>
        SendCommand(context, CommandQueues.LocateSubjectData, new LocateSubjectData
        {
            CaseId = context.Saga.CorrelationId,
            SubjectEmail = context.Saga.RequesterEmail,
        });

    private static async Task SendStoreActions(BehaviorContext<CaseState> context, StoreStatus status)
    {
        foreach (var store in context.Saga.Stores.Where(s => s.Status == status))
        {
            await SendCommand(context, CommandQueues.ExecuteStoreAction, new ExecuteStoreAction
            {
                CaseId = context.Saga.CorrelationId,
                StoreId = store.StoreId,
                Action = StoreActionKind.Erase,
                SubjectEmail = context.Saga.RequesterEmail,
            });
        }
    }

    private static Task Notify(BehaviorContext<CaseState> context, string key, string template, string recipient) =>
        SendCommand(context, CommandQueues.SendNotification, new SendNotification
        {
            CaseId = context.Saga.CorrelationId,
            NotificationKey = key,
            Template = template,
            RecipientEmail = recipient,
            Values = NotificationValues.For(context.Saga),
        });

    private static async Task SendCommand<T>(BehaviorContext<CaseState> context, string queue, T message)
        where T : class
    {
        var endpoint = await context.GetSendEndpoint(new Uri($"queue:{queue}"));
        await endpoint.Send(message, context.CancellationToken);
    }
}
