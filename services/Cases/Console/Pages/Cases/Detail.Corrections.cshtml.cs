using Closely.BuildingBlocks.Privacy;
using Closely.Cases.Saga;
using Closely.Contracts;
using Microsoft.AspNetCore.Mvc;

namespace Closely.Cases.DpoConsole.Pages;

/// <summary>One row of the corrections form: the DPO's decision on the correction of <see cref="Field"/>.</summary>
public sealed class CorrectionDecisionForm
{
    public string? Field { get; set; }

    /// <summary>True to approve (with <see cref="Value"/>), false to decline (with <see cref="Reason"/>).</summary>
    public bool? Approved { get; set; }

    /// <summary>What the stores are to hold: the requested value as shown, or the DPO's edit of it.</summary>
    public string? Value { get; set; }

    public string? Reason { get; set; }
}

// The DPO's decisions on a rectification's corrections (Art 16, ADR 29): approve as requested, approve as edited, or decline
// with a reason (the requester's statement then stays with the case as a supplementary statement).
public sealed partial class CaseDetailModel
{
    /// <summary>A correction's value is at most this long, as on the request API.</summary>
    public const int MaxCorrectionLength = FieldCorrection.MaxLength;

    [DpoAction]
    public async Task<IActionResult> OnPostCorrectionsAsync(
        Guid id, List<CorrectionDecisionForm> decisions, [FromServices] PersonalDataProtector protector, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(decisions);
        ArgumentNullException.ThrowIfNull(protector);
        if (!await LoadAsync(id, cancellationToken))
        {
            return NotFound();
        }

        if (!CaseActions.CanDecideCorrections(Case))
        {
            return await RefuseAsync($"This action does not apply to a case that is {CaseActions.Describe(Case.CurrentState)}.", cancellationToken);
        }

        var verdicts = new List<CorrectionVerdict>();
        var edits = new List<FieldCorrection>();
        foreach (var pending in Case.Corrections.Where(c => c.Decision == CorrectionDecision.Pending))
        {
            var form = decisions.Find(d => d.Field == pending.Field);
            if (form?.Approved is not { } approved)
            {
                return await RefuseAsync($"Decide the correction of {pending.Field}: approve or decline it.", cancellationToken, StatusCodes.Status400BadRequest);
            }

            var value = form.Value?.Trim() ?? "";
            var reason = form.Reason?.Trim() ?? "";
            if (approved && (value.Length is 0 or > MaxCorrectionLength || value.Any(char.IsControl)))
            {
                return await RefuseAsync($"The value of {pending.Field} is required (at most {MaxCorrectionLength} characters, on one line).",
                    cancellationToken, StatusCodes.Status400BadRequest);
            }

            if (!approved && reason.Length is 0 or > MaxTextLength)
            {
                return await RefuseAsync($"A reason for declining {pending.Field} is required (at most {MaxTextLength} characters): the requester is told.",
                    cancellationToken, StatusCodes.Status400BadRequest);
            }

            verdicts.Add(new CorrectionVerdict { Field = pending.Field, Approved = approved, Reason = approved ? null : reason });
            if (approved && value != pending.Requested)
            {
                edits.Add(new FieldCorrection { Field = pending.Field, Current = pending.Current, Correction = value });
            }
        }

        await publisher.Publish(new DecideCorrections
        {
            CaseId = id,
            Actor = User.Identity!.Name!,
            Verdicts = verdicts,
            SealedEdits = edits.Count == 0 ? null : SealedCorrections.Seal(protector, id, SealedCorrections.Edited, edits),
        }, cancellationToken);
        logger.LogInformation("Console action {Action} sent for case {CaseId}", nameof(DecideCorrections), id);
        Sent = $"The decisions were sent: {verdicts.Count(v => v.Approved)} approved, {verdicts.Count(v => !v.Approved)} declined. The timeline shows them once the case has applied them.";
        return RedirectToPage(new { id });
    }
}
