using System.Globalization;
using Closely.BuildingBlocks.Deadlines;
using Closely.Cases.Audit;
using Closely.Cases.Saga;
using Closely.Contracts;
using MassTransit;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Options;

namespace Closely.Cases.DpoConsole.Pages;

/// <summary>
/// One case: its timeline, stores, notices and deadlines, and the DPO's actions that apply to its state.
/// Each action publishes one message of <c>Saga/DpoActions.cs</c> with the signed-in user as actor; the
/// saga applies it, guards it by state and records it in the audit trail. Every time the page shows the case's
/// personal data, that view is recorded in the audit trail first (<see cref="CaseAccessLog"/>).
/// </summary>
public sealed partial class CaseDetailModel(
    CaseQueries queries,
    CaseAccessLog access,
    IPublishEndpoint publisher,
    StatutoryDeadlines deadlines,
    IOptions<CasesOptions> options,
    TimeProvider clock,
    ILogger<CaseDetailModel> logger)
    : PageModel
{
    private const int MaxTextLength = 2000;

    public CaseState Case { get; private set; } = null!;

    public IReadOnlyList<CaseAuditEntry> Timeline { get; private set; } = [];

    public bool HasAuthorityDocument { get; private set; }

    public DateTimeOffset Now { get; private set; }

    /// <summary>The last day on which the deadline may still be extended (the end of the first month).</summary>
    public DateOnly ExtendableUntil { get; private set; }

    public bool IsDpo => User.IsInRole(ConsoleRoles.Dpo);

    /// <summary>The verification emails after which the case stops re-sending the request to verify.</summary>
    public int MaxVerificationEmails => options.Value.MaxVerificationEmails;

    /// <summary>When an unverified case closes as not verified.</summary>
    public DateTimeOffset VerificationEndsAt => Case.ReceivedAt + options.Value.VerificationPeriod;

    /// <summary>What the last action did, shown once after the redirect.</summary>
    [TempData]
    public string? Sent { get; set; }

    /// <summary>Why the action just asked for was not sent.</summary>
    public string? Refusal { get; private set; }

    public async Task<IActionResult> OnGetAsync(Guid id, CancellationToken cancellationToken) =>
        await LoadAsync(id, cancellationToken) ? await ShowAsync(cancellationToken) : NotFound();

    [DpoAction]
    public Task<IActionResult> OnPostAuthorityAsync(Guid id, bool approved, string? reason, CancellationToken cancellationToken) =>
        ActAsync(id, CaseActions.CanDecideAuthority, reason, "A reason", cancellationToken, (actor, text) => new DecideAuthority
        {
            CaseId = id, Actor = actor, Approved = approved, Reason = text,
        }, approved ? "The agent's authority was approved." : "The agent's authority was rejected.");

    [DpoAction]
    public Task<IActionResult> OnPostIdentityAsync(Guid id, bool verified, string? reason, CancellationToken cancellationToken) =>
        ActAsync(id, CaseActions.CanDecideIdentity, reason, "A reason", cancellationToken, (actor, text) => new DecideIdentity
        {
            CaseId = id, Actor = actor, Verified = verified, Reason = text,
        }, verified ? "The requester's identity was confirmed." : "The requester's identity was rejected.");

    [DpoAction]
    public async Task<IActionResult> OnPostExtendAsync(Guid id, string? reason, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(id, cancellationToken))
        {
            return NotFound();
        }

        if (CaseActions.CanExtend(Case) && !deadlines.CanExtend(Case.ReceivedAt, Now))
        {
            return await RefuseAsync(string.Create(CultureInfo.InvariantCulture,
                $"An extension may be given only within the first month, which ended on {ExtendableUntil:yyyy-MM-dd} (Art 12(3))."), cancellationToken);
        }

        return await ActAsync(id, CaseActions.CanExtend, reason, "A reason", cancellationToken, (actor, text) => new ExtendDeadline
        {
            CaseId = id, Actor = actor, Reason = text,
        }, "The extension was sent; the requester will be told of it and its reason.");
    }

    [DpoAction]
    public Task<IActionResult> OnPostRefuseAsync(Guid id, string? reason, CancellationToken cancellationToken) =>
        ActAsync(id, CaseActions.CanRefuseOrWithdraw, reason, "A reason", cancellationToken, (actor, text) => new RefuseRequest
        {
            CaseId = id, Actor = actor, Reason = text,
        }, "The refusal was sent; the requester will be told, with their right to complain.");

    [DpoAction]
    public Task<IActionResult> OnPostWithdrawAsync(Guid id, string? reason, CancellationToken cancellationToken) =>
        ActAsync(id, CaseActions.CanRefuseOrWithdraw, reason, "A note of how the requester withdrew", cancellationToken, (actor, text) => new WithdrawRequest
        {
            CaseId = id, Actor = actor, Reason = text,
        }, "The withdrawal was sent.");

    [DpoAction]
    public Task<IActionResult> OnPostReclassifyAsync(Guid id, DataSubjectRight right, string? reason, CancellationToken cancellationToken) =>
        ActAsync(id, CaseActions.CanReclassify, reason, "A reason", cancellationToken, (actor, text) => new ReclassifyRequest
        {
            CaseId = id, Actor = actor, Right = right, Reason = text,
        }, $"The case was sent for reclassification as {right}.");

    [DpoAction]
    public Task<IActionResult> OnPostCompleteAsync(Guid id, string? note, CancellationToken cancellationToken) =>
        ActAsync(id, CaseActions.CanComplete, note, "A note of what was done", cancellationToken, (actor, text) => new CompleteRequest
        {
            CaseId = id, Actor = actor, Note = text,
        }, "The completion was sent; the requester will be told.");

    [DpoAction]
    public Task<IActionResult> OnPostReleasePackageAsync(Guid id, string? note, CancellationToken cancellationToken) =>
        ActAsync(id, CaseActions.CanReleasePackage, note, "A note of the review", cancellationToken, (actor, text) => new ReleaseDataPackage
        {
            CaseId = id, Actor = actor, Note = text,
        }, "The package was released; the requester will get its link.");

    [DpoAction]
    public Task<IActionResult> OnPostLiftRestrictionAsync(Guid id, string? reason, CancellationToken cancellationToken) =>
        ActAsync(id, CaseActions.CanLiftRestriction, reason, "A reason", cancellationToken, (actor, text) => new LiftRestriction
        {
            CaseId = id, Actor = actor, Reason = text,
        }, "The lift was sent: the requester is told first, then the stores lift the restriction.");

    [DpoAction]
    public Task<IActionResult> OnPostKeepRestrictionAsync(Guid id, string? reason, CancellationToken cancellationToken) =>
        ActAsync(id, CaseActions.CanKeepRestriction, reason, "A reason", cancellationToken, (actor, text) => new KeepRestriction
        {
            CaseId = id, Actor = actor, Reason = text,
        }, "The decision to keep the restriction was sent.");

    [DpoAction]
    public Task<IActionResult> OnPostRetryAsync(Guid id, string? storeId, CancellationToken cancellationToken) =>
        ActAsync(id, c => c.Stores.Exists(s => s.StoreId == storeId && CaseActions.CanRetry(c, s)), storeId, "A store", cancellationToken,
            (actor, store) => new RetryStore { CaseId = id, Actor = actor, StoreId = store },
            $"The action on store {storeId} was sent again.");

    [DpoAction]
    public async Task<IActionResult> OnPostMarkDoneAsync(Guid id, string? storeId, string? evidence, CancellationToken cancellationToken)
    {
        if (!await LoadAsync(id, cancellationToken))
        {
            return NotFound();
        }

        var store = storeId is null ? null : Case.OpenStore(storeId) ?? Case.Stores.Find(s => s.StoreId == storeId);
        return store is null
            ? await RefuseAsync("That store is not part of this case.", cancellationToken)
            : await ActAsync(id, c => CaseActions.CanMarkDone(c, store), evidence, "The evidence", cancellationToken,
                (actor, text) => new MarkStoreDone { CaseId = id, Actor = actor, StoreId = store.StoreId, Evidence = text },
                $"Store {store.StoreId} was sent as done by hand.");
    }

    private async Task<IActionResult> ActAsync<T>(
        Guid id, Func<CaseState, bool> applies, string? text, string what, CancellationToken cancellationToken,
        Func<string, string, T> message, string confirmation)
        where T : class
    {
        if (!await LoadAsync(id, cancellationToken))
        {
            return NotFound();
        }

        if (!applies(Case))
        {
            return await RefuseAsync($"This action does not apply to a case that is {CaseActions.Describe(Case.CurrentState)}.", cancellationToken);
        }

        var value = text?.Trim() ?? "";
        if (value.Length == 0 || value.Length > MaxTextLength)
        {
            return await RefuseAsync($"{what} is required (at most {MaxTextLength} characters).", cancellationToken, StatusCodes.Status400BadRequest);
        }

        await publisher.Publish(message(User.Identity!.Name!, value), cancellationToken);
        logger.LogInformation("Console action {Action} sent for case {CaseId}", typeof(T).Name, id);
        Sent = confirmation + " The timeline shows it once the case has applied it.";
        return RedirectToPage(new { id });
    }

    /// <summary>Shows the case again with why the action was not sent.</summary>
    private Task<IActionResult> RefuseAsync(string reason, CancellationToken cancellationToken, int status = StatusCodes.Status409Conflict)
    {
        Refusal = reason;
        Response.StatusCode = status;
        return ShowAsync(cancellationToken);
    }

    /// <summary>The page with the case's personal data, once the view is recorded.</summary>
    private async Task<IActionResult> ShowAsync(CancellationToken cancellationToken) =>
        await access.RecordAsync(Case.CorrelationId, User.Identity!.Name!, PersonalDataAccess.CasePage, cancellationToken) ? Page() : NotFound();

    private async Task<bool> LoadAsync(Guid id, CancellationToken cancellationToken)
    {
        var found = await queries.FindAsync(id, cancellationToken);
        if (found is null)
        {
            return false;
        }

        Case = found;
        Now = clock.GetUtcNow();
        ExtendableUntil = deadlines.For(found.ReceivedAt).DueOn;
        Timeline = await queries.TimelineAsync(id, cancellationToken);
        HasAuthorityDocument = await queries.HasAuthorityDocumentAsync(id, cancellationToken);
        return true;
    }
}
