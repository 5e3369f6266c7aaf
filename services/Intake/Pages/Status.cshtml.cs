using Closely.BuildingBlocks.Deadlines;
using Closely.Contracts;
using Closely.Intake.Persistence;
using Closely.Intake.Requests;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;

namespace Closely.Intake.Pages;

/// <summary>How far a request has come, in the words the status page uses.</summary>
public enum StatusStage
{
    Received,
    AwaitingConfirmation,
    InProgress,
    Done,
    Refused,
    Rejected,
    Withdrawn,
}

public enum StepState
{
    Done,
    Current,
    Upcoming,
}

/// <summary>One line of "what has happened": its text key and whether it is behind, at or ahead of the request.</summary>
public sealed record StatusStep(string TextKey, StepState State);

/// <summary>
/// The requester's status page, reached with the status token like the status link's JSON: the reference, the right
/// (or that it is still unclear), the dates, what has happened and what comes next, from Intake's read model of the
/// case. It shows no personal data and is kept out of caches and referrers.
/// </summary>
public sealed class StatusModel(IntakeDbContext db, StatutoryDeadlines deadlines) : PageModel
{
    public bool Found { get; private set; }

    public string Reference { get; private set; } = "";

    /// <summary>Null while the right is unclear (a mail the privacy team has not classified yet): no guess is shown.</summary>
    public DataSubjectRight? Right { get; private set; }

    public DateOnly ReceivedOn { get; private set; }

    public DateOnly DueOn { get; private set; }

    public bool Extended { get; private set; }

    public string? ExtensionReason { get; private set; }

    public StatusStage Stage { get; private set; }

    /// <summary>The case's state as the saga names it, for what the in-progress text adds (triage, authority review).</summary>
    public string? State { get; private set; }

    public int StoresDone { get; private set; }

    public int StoresTotal { get; private set; }

    public IReadOnlyList<StatusStep> Steps { get; private set; } = [];

    /// <summary>Each step in each system (store), in order: its action, how far it is, and what a legal hold keeps until when.</summary>
    public IReadOnlyList<StoreStatusView> StoreSteps { get; private set; } = [];

    public bool IsOpen => Stage is StatusStage.Received or StatusStage.AwaitingConfirmation or StatusStage.InProgress;

    public async Task<IActionResult> OnGetAsync(Guid id, string? token, CancellationToken cancellationToken)
    {
        Response.Headers.CacheControl = "no-store";
        Response.Headers["Referrer-Policy"] = "no-referrer";
        // The request and its case's status in one round trip: requesters read this page often while a case is open.
        var found = await (
                from r in db.Requests.AsNoTracking()
                where r.Id == id
                join s in db.CaseStatuses.AsNoTracking() on r.Id equals s.CaseId into statuses
                from s in statuses.DefaultIfEmpty()
                select new { Request = new { r.Reference, r.Right, r.Channel, r.ReceivedAt, r.NeedsTriage, r.StatusTokenHash }, Status = s })
            .SingleOrDefaultAsync(cancellationToken);
        if (found is null || !RequestTokens.Matches(token, found.Request.StatusTokenHash))
        {
            var notFound = Page();
            notFound.StatusCode = StatusCodes.Status404NotFound;
            return notFound;
        }

        var (request, status) = (found.Request, found.Status);
        var schedule = deadlines.For(request.ReceivedAt);
        Found = true;
        Reference = request.Reference;
        // The saga's word once it has spoken (the DPO may have classified the mail); the request's until then.
        Right = (status?.NeedsTriage ?? request.NeedsTriage) ? null : status?.Right ?? request.Right;
        ReceivedOn = schedule.ReceivedOn;
        DueOn = status?.DueOn ?? schedule.DueOn;
        Extended = status?.Extended ?? false;
        ExtensionReason = status?.ExtensionReason;
        State = status?.State;
        Stage = StageOf(status?.State);
        StoresTotal = status?.Stores.Count ?? 0;
        StoresDone = status?.Stores.Count(s => s.Status == "Completed") ?? 0;
        StoreSteps = status?.Stores ?? [];
        Steps = StepsOf(Stage, request.Channel);
        return Page();
    }

    /// <summary>The saga's states, as a requester would put them.</summary>
    public static StatusStage StageOf(string? state) => state switch
    {
        null => StatusStage.Received,
        "AwaitingVerification" => StatusStage.AwaitingConfirmation,
        "Completed" => StatusStage.Done,
        "Refused" => StatusStage.Refused,
        "Rejected" => StatusStage.Rejected,
        "WithdrawnByRequester" => StatusStage.Withdrawn,
        _ => StatusStage.InProgress,
    };

    private static List<StatusStep> StepsOf(StatusStage stage, IntakeChannel channel)
    {
        var received = new StatusStep("StepReceived", StepState.Done);
        if (stage is StatusStage.Refused or StatusStage.Rejected or StatusStage.Withdrawn)
        {
            return [received, new StatusStep("Step" + stage, StepState.Done)];
        }

        if (channel == IntakeChannel.OptOut)
        {
            // An objection to direct marketing is carried out when it is received; nothing is confirmed.
            return [received, new StatusStep("StepCompleted", stage == StatusStage.Done ? StepState.Done : StepState.Current)];
        }

        return
        [
            received,
            new StatusStep("StepConfirmed", Position(stage, StatusStage.AwaitingConfirmation)),
            new StatusStep("StepInProgress", Position(stage, StatusStage.InProgress)),
            new StatusStep("StepCompleted", stage == StatusStage.Done ? StepState.Done : StepState.Upcoming),
        ];
    }

    private static StepState Position(StatusStage stage, StatusStage step) =>
        stage == step ? StepState.Current : stage > step ? StepState.Done : StepState.Upcoming;
}
