using Closely.Cases.Saga;
using Closely.Contracts;
using Microsoft.Extensions.Options;

namespace Closely.Cases.Deadlines;

/// <summary>
/// Decides the next moment a case must be woken and why: the earliest of its step timeout, the end of its
/// verification period, the reminders not yet sent, and the overdue escalation. Closed cases need no wake-up, but for a
/// completed erasure that kept rows under a legal hold: it wakes on the day the hold ends (ADR 31).
/// </summary>
public sealed class CaseDeadlinePlanner(IOptions<CasesOptions> options)
{
    private readonly CasesOptions _options = options.Value;

    public void Plan(CaseState saga)
    {
        ArgumentNullException.ThrowIfNull(saga);

        if (saga.IsClosed)
        {
            var holdEndsAt = saga.CurrentState == CaseStates.Completed ? saga.NextHoldEndsAt : null;
            saga.NextDeadlineAt = holdEndsAt;
            saga.NextDeadlineKind = holdEndsAt is null ? null : DeadlineKind.HoldEnded;
            return;
        }

        var candidates = new List<(DateTimeOffset At, DeadlineKind Kind)>();
        if (StepTimeoutOf(saga) is { } timeout)
        {
            candidates.Add((saga.StepStartedAt + timeout, DeadlineKind.StepTimeout));
        }

        if (saga.CurrentState == CaseStates.AwaitingVerification)
        {
            candidates.Add((VerificationEndsAt(saga), DeadlineKind.VerificationExpired));
        }

        if (!saga.TargetReminderSent)
        {
            candidates.Add((saga.TargetAt - _options.TargetReminderLead, DeadlineKind.TargetReminder));
        }

        if (!saga.DueReminderSent)
        {
            candidates.Add((saga.DueAt - _options.DueReminderLead, DeadlineKind.DueReminder));
        }

        if (!saga.OverdueEscalated)
        {
            candidates.Add((saga.DueAt, DeadlineKind.Overdue));
        }

        if (candidates.Count == 0)
        {
            saga.NextDeadlineAt = null;
            saga.NextDeadlineKind = null;
            return;
        }

        var next = candidates.MinBy(c => c.At);
        saga.NextDeadlineAt = next.At;
        saga.NextDeadlineKind = next.Kind;
    }

    /// <summary>
    /// The time the current step may take before its command is re-sent, if it has one: locating and the store
    /// actions have their own, shorter timeout; the failed stores of a partially completed case are retried at
    /// their interval; verification is re-sent until the requester was mailed <see cref="CasesOptions.MaxVerificationEmails"/>
    /// links; other steps waiting on a service use the general one.
    /// </summary>
    public TimeSpan? StepTimeoutOf(CaseState saga)
    {
        ArgumentNullException.ThrowIfNull(saga);
        if (saga.CurrentState == CaseStates.PartiallyCompleted)
        {
            return _options.FailedStoreRetryInterval;
        }

        if (!CaseStates.AwaitingService.Contains(saga.CurrentState))
        {
            return null;
        }

        return saga.CurrentState switch
        {
            CaseStates.Locating or CaseStates.Executing => _options.StoreActionStepTimeout,
            CaseStates.AwaitingVerification when saga.VerificationEmails >= _options.MaxVerificationEmails => null,
            _ => _options.StepTimeout,
        };
    }

    /// <summary>When the requester's time to confirm the request ends.</summary>
    public DateTimeOffset VerificationEndsAt(CaseState saga)
    {
        ArgumentNullException.ThrowIfNull(saga);
        return saga.ReceivedAt + _options.VerificationPeriod;
    }

    /// <summary>The case still waits for verification and its period is over: it closes as not verified.</summary>
    public bool VerificationExpired(CaseState saga, DateTimeOffset now) =>
        saga.CurrentState == CaseStates.AwaitingVerification && now >= VerificationEndsAt(saga);

    /// <summary>The current step has waited its timeout out: its command is due again.</summary>
    public bool StepTimedOut(CaseState saga, DateTimeOffset now) =>
        StepTimeoutOf(saga) is { } timeout && now >= saga.StepStartedAt + timeout;
}
