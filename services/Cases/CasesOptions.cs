using System.ComponentModel.DataAnnotations;

namespace Closely.Cases;

/// <summary>Settings of the case saga, from configuration section <c>Cases</c>.</summary>
public sealed class CasesOptions
{
    public const string SectionName = "Cases";

    /// <summary>Where reminders, escalations and failure notices for the privacy desk go.</summary>
    [Required]
    [EmailAddress]
    public string DpoEmail { get; set; } = "";

    /// <summary>
    /// How long the verification step (and any other step waiting on another service that has no timeout of its own)
    /// may wait for its answer before its command is sent again. Identity answers a repeated <c>VerifyIdentity</c>
    /// with a fresh link only once the last one expired, so this is a recovery interval, not a reminder rate.
    /// </summary>
    public TimeSpan StepTimeout { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// How long locating the subject or a store action may wait for its result before its command is sent again.
    /// Short, because a repeated command is cheap and answered from the store's ledger (ADR 12, ADR 20): a case
    /// whose command or result was lost to a fault moves again within this time.
    /// </summary>
    public TimeSpan StoreActionStepTimeout { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// How long, from receipt, the requester has to confirm the request; then the case closes as not verified and the
    /// requester is told how to ask again (ADR 21).
    /// </summary>
    public TimeSpan VerificationPeriod { get; set; } = TimeSpan.FromDays(14);

    /// <summary>
    /// The verification emails after which the case stops re-sending <c>VerifyIdentity</c> (Identity mails a fresh
    /// link when the last one expired). The requester may still ask for a new link on an expired link's page.
    /// </summary>
    [Range(1, 100)]
    public int MaxVerificationEmails { get; set; } = 3;

    /// <summary>How often the stores that failed are tried again while the case is partially completed.</summary>
    public TimeSpan FailedStoreRetryInterval { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// Hold every access and portability package for the DPO's review: the link goes out once the DPO releases it
    /// in the console. Off by default (the package goes out as soon as it is built).
    /// </summary>
    public bool HoldDataPackagesForReview { get; set; }

    /// <summary>How long before the internal target the DPO is reminded.</summary>
    public TimeSpan TargetReminderLead { get; set; } = TimeSpan.FromDays(2);

    /// <summary>How long before the legal due date the DPO is reminded.</summary>
    public TimeSpan DueReminderLead { get; set; } = TimeSpan.FromDays(3);

    /// <summary>
    /// When, each day in the legal time zone, the DPO gets the reminder digest: one email listing every open
    /// case within <see cref="TargetReminderLead"/> of its internal target or <see cref="DueReminderLead"/> of
    /// its legal due date, or past it.
    /// </summary>
    public TimeOnly DigestTime { get; set; } = new(7, 0);

    /// <summary>How often the deadline sweeper looks for due deadlines.</summary>
    public TimeSpan SweepInterval { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long a fired deadline may go unanswered before the sweeper fires it again: the sweeper moves a case's
    /// deadline this far ahead when it fires it, and the saga replaces it with the next one when it handles the
    /// <c>DeadlineReached</c>. A <c>DeadlineReached</c> that ends in an error queue so leaves the case a deadline.
    /// </summary>
    public TimeSpan DeadlineRetryInterval { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How often the open and overdue case gauges are counted from the database.</summary>
    public TimeSpan MetricsRefreshInterval { get; set; } = TimeSpan.FromSeconds(15);
}
