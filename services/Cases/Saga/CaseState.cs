using Closely.BuildingBlocks.Privacy;
using Closely.Contracts;
using MassTransit;

namespace Closely.Cases.Saga;

/// <summary>One data subject request, tracked from receipt to its end against the statutory deadline.</summary>
public partial class CaseState : SagaStateMachineInstance, ISagaVersion
{
    public Guid CorrelationId { get; set; }

    public int Version { get; set; }

    public string CurrentState { get; set; } = "";

    public string Reference { get; set; } = "";

    public DataSubjectRight Right { get; set; }

    public IntakeChannel Channel { get; set; }

    public DateTimeOffset ReceivedAt { get; set; }

    /// <summary>The date of receipt in the legal time zone.</summary>
    public DateOnly ReceivedOn { get; set; }

    /// <summary>The legal due date (end of the period), one or, once extended, three months from receipt.</summary>
    public DateTimeOffset DueAt { get; set; }

    /// <summary>The last day of the period in the legal time zone: the date the requester is told.</summary>
    public DateOnly DueOn { get; set; }

    /// <summary>The internal target, earlier than <see cref="DueAt"/>.</summary>
    public DateTimeOffset TargetAt { get; set; }

    public DateOnly TargetOn { get; set; }

    public bool Extended { get; set; }

    /// <summary>Stored encrypted; never logged.</summary>
    [PersonalData]
    public string RequesterEmail { get; set; } = "";

    /// <summary>Blind index of <see cref="RequesterEmail"/> for look-ups.</summary>
    public byte[] RequesterEmailIndex { get; set; } = [];

    public DateTimeOffset? VerifiedAt { get; set; }

    public DateTimeOffset? ClosedAt { get; set; }

    /// <summary>Why the case ended as it did, when that needs saying (rejection, failures).</summary>
    public string? Outcome { get; set; }

    /// <summary>When the command of the current step was (last) sent.</summary>
    public DateTimeOffset StepStartedAt { get; set; }

    /// <summary>How often the current step's command was re-sent after its timeout.</summary>
    public int StepResends { get; set; }

    /// <summary>The case has reached its reminder offset before the internal target (it is in the DPO's digest).</summary>
    public bool TargetReminderSent { get; set; }

    /// <summary>The case has reached its reminder offset before the legal due date (it is in the DPO's digest).</summary>
    public bool DueReminderSent { get; set; }

    public bool OverdueEscalated { get; set; }

    /// <summary>The next moment the deadline sweeper must wake this case, and why.</summary>
    public DateTimeOffset? NextDeadlineAt { get; set; }

    public DeadlineKind? NextDeadlineKind { get; set; }

    public List<StoreProgress> Stores { get; set; } = [];

    /// <summary>The right could not be told with confidence: the DPO classifies the case first.</summary>
    public bool NeedsTriage { get; set; }

    public double? ClassificationConfidence { get; set; }

    /// <summary>The authorised agent's email when an agent made the request. Stored encrypted; never logged.</summary>
    [PersonalData]
    public string? AgentEmail { get; set; }

    public AuthorityReview Authority { get; set; }

    /// <summary>What the requester wrote (correction, restriction ground, mail text). Stored encrypted.</summary>
    [PersonalData]
    public string? Details { get; set; }

    /// <summary>For a restriction, the Art 18(1) ground the requester chose; null when none was given (the DPO asks).</summary>
    public RestrictionGround? RestrictionGround { get; set; }

    /// <summary>The client company that forwarded the request, if any.</summary>
    public string? ClientId { get; set; }

    /// <summary>The requester's language (ISO 639-1, <c>en</c> or <c>de</c>), set when the case opens: every email of the case is written in it.</summary>
    public string Language { get; set; } = "en";

    public string? ExtensionReason { get; set; }

    /// <summary>The emails the case asked for, and when each was sent.</summary>
    public List<NoticeRecord> Notices { get; set; } = [];

    /// <summary>How many entries the case's audit trail has; the next entry gets this number.</summary>
    public int AuditCount { get; set; }

    /// <summary>The hash of the last saved audit entry: the head of the case's hash chain.</summary>
    public string AuditHead { get; set; } = CaseAudit.GenesisHash;

    /// <summary>Audit entries made while handling the current message; the repository chains and saves them with the case.</summary>
    public List<PendingAuditEntry> PendingAudit { get; } = [];
}

/// <summary>The DPO's review of an agent's written authority.</summary>
public enum AuthorityReview
{
    NotNeeded,
    Pending,
    Approved,
    Rejected,
}

/// <summary>One email the case asked Notification to send (no addresses: <see cref="To"/> names the role).</summary>
public class NoticeRecord
{
    public required string Key { get; set; }

    public required string Template { get; set; }

    /// <summary><c>requester</c>, <c>agent</c> or <c>DPO</c>.</summary>
    public required string To { get; set; }

    public DateTimeOffset RequestedAt { get; set; }

    public DateTimeOffset? SentAt { get; set; }

    /// <summary>When Notification decided not to send it: its recipient had had the day's quota (ADR 42).</summary>
    public DateTimeOffset? SuppressedAt { get; set; }
}
