namespace Closely.Contracts;

public enum DeadlineKind
{
    /// <summary>A pending step has not progressed within its step timeout: re-send its command.</summary>
    StepTimeout,

    /// <summary>Reminder to the DPO ahead of the internal target.</summary>
    TargetReminder,

    /// <summary>Reminder to the DPO ahead of the legal due date.</summary>
    DueReminder,

    /// <summary>The legal due date has passed with the case still open.</summary>
    Overdue,

    /// <summary>The requester did not confirm the request within the verification period: the case closes as not verified.</summary>
    VerificationExpired,

    /// <summary>A legal hold on rows the case's erasure kept has ended: those rows are erased now (ADR 31).</summary>
    HoldEnded,
}

/// <summary>Published by the Cases deadline sweeper when a case's next deadline has come.</summary>
public record DeadlineReached
{
    public required Guid CaseId { get; init; }

    public required DeadlineKind Kind { get; init; }

    public required DateTimeOffset DeadlineAt { get; init; }
}
