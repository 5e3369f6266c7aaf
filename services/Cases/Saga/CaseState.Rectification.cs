using System.Globalization;
using System.Text.Json;
using Closely.BuildingBlocks.Privacy;
using Closely.Contracts;

namespace Closely.Cases.Saga;

/// <summary>The DPO's decision on one correction: accuracy is the controller's call (Art 16).</summary>
public enum CorrectionDecision
{
    Pending,
    Approved,
    Declined,
}

/// <summary>One correction of a rectification case, with the DPO's decision. Personal data: kept only in <see cref="CaseState.CorrectionsData"/>, encrypted.</summary>
public sealed record CaseCorrection
{
    public required string Field { get; init; }

    /// <summary>What the field says now, according to the requester.</summary>
    public string? Current { get; init; }

    /// <summary>What the requester asked the field to say.</summary>
    public required string Requested { get; init; }

    public CorrectionDecision Decision { get; init; }

    /// <summary>What the stores are to hold: the request as it stands, or as the DPO edited it; null unless approved.</summary>
    public string? Value { get; init; }

    /// <summary>
    /// For a declined correction, the supplementary statement (Art 16, "incomplete data completed by a supplementary
    /// statement") kept with the case: what the requester states the field should say, and why it was not applied.
    /// </summary>
    public string? Statement { get; init; }

    /// <summary>For a declined correction, why: the requester is told the field and this reason (not the values).</summary>
    public string? Reason { get; init; }
}

// Rectification (Art 16): the requester's corrections, the DPO's decision on each, and what the stores are to change.
public partial class CaseState
{
    /// <summary>The corrections as JSON (<see cref="CaseCorrection"/>); stored encrypted, never logged.</summary>
    [PersonalData]
    public string? CorrectionsData { get; set; }

    /// <summary>The case's corrections, in the order requested; empty for a free-text request or another right.</summary>
    public IReadOnlyList<CaseCorrection> Corrections =>
        CorrectionsData is null ? [] : JsonSerializer.Deserialize<List<CaseCorrection>>(CorrectionsData, JsonSerializerOptions.Web) ?? [];

    /// <summary>A rectification whose corrections wait for the DPO.</summary>
    public bool AwaitsCorrectionDecisions =>
        Right == DataSubjectRight.Rectification && Corrections.Any(c => c.Decision == CorrectionDecision.Pending);

    /// <summary>What the stores are to hold: the approved corrections with their (possibly edited) values.</summary>
    public IReadOnlyList<FieldCorrection> ApprovedCorrections =>
        Corrections.Where(c => c.Decision == CorrectionDecision.Approved)
            .Select(c => new FieldCorrection { Field = c.Field, Current = c.Current, Correction = c.Value! }).ToList();

    /// <summary>The requester's structured corrections, as received.</summary>
    public void TakeCorrections(IReadOnlyList<FieldCorrection> requested, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(requested);
        if (requested.Count == 0)
        {
            return;
        }

        SetCorrections(requested.Select(c => new CaseCorrection { Field = c.Field, Current = c.Current, Requested = c.Correction }));
        Record(now, CaseAudit.System, "corrections-received",
            $"The requester asks to correct: {string.Join(", ", requested.Select(c => c.Field))}. The DPO decides each (Art 16).");
    }

    /// <summary>
    /// The DPO's decisions can apply: every pending correction is decided once, an approval has a value (the requested
    /// one unless edited), a decline its reason.
    /// </summary>
    public bool CanDecideCorrections(IReadOnlyList<CorrectionVerdict> verdicts, IReadOnlyList<FieldCorrection> edits)
    {
        ArgumentNullException.ThrowIfNull(verdicts);
        ArgumentNullException.ThrowIfNull(edits);
        var pending = Corrections.Where(c => c.Decision == CorrectionDecision.Pending).Select(c => c.Field).ToHashSet(StringComparer.Ordinal);
        return AwaitsCorrectionDecisions
            && verdicts.Count == pending.Count
            && verdicts.Select(v => v.Field).ToHashSet(StringComparer.Ordinal).SetEquals(pending)
            && verdicts.All(v => v.Approved || !string.IsNullOrWhiteSpace(v.Reason))
            && edits.All(e => verdicts.Any(v => v.Approved && v.Field == e.Field) && !string.IsNullOrWhiteSpace(e.Correction));
    }

    /// <summary>
    /// Records each decision: an approval with the value the stores get (an edit says so, without the value), a decline with
    /// the supplementary statement kept on the case.
    /// </summary>
    public void DecideCorrections(string actor, IReadOnlyList<CorrectionVerdict> verdicts, IReadOnlyList<FieldCorrection> edits, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(verdicts);
        ArgumentNullException.ThrowIfNull(edits);
        var decided = Corrections.Select(c =>
        {
            if (c.Decision != CorrectionDecision.Pending || verdicts.FirstOrDefault(v => v.Field == c.Field) is not { } verdict)
            {
                return c;
            }

            if (verdict.Approved)
            {
                var edit = edits.FirstOrDefault(e => e.Field == c.Field);
                Record(now, actor, "correction-approved", edit is null
                    ? $"{c.Field}: the correction is approved as requested."
                    : $"{c.Field}: the correction is approved as edited by the DPO.");
                return c with { Decision = CorrectionDecision.Approved, Value = edit?.Correction.Trim() ?? c.Requested };
            }

            Record(now, actor, "correction-declined",
                $"{c.Field}: the correction is declined: {verdict.Reason}. The requester's statement is kept with the case as a supplementary statement (Art 16).");
            return c with
            {
                Decision = CorrectionDecision.Declined,
                Reason = verdict.Reason!.Trim(),
                Statement = string.Create(CultureInfo.InvariantCulture,
                    $"The data subject states that {c.Field} should read \"{c.Requested}\"{(c.Current is null ? "" : $" (not \"{c.Current}\")")}. Not applied: {verdict.Reason!.Trim()} ({now:yyyy-MM-dd})."),
            };
        }).ToList();
        SetCorrections(decided);
    }

    /// <summary>The fields of the approved corrections, e.g. <c>jobTitle</c>.</summary>
    public IReadOnlyList<string> ApprovedFields => ApprovedCorrections.Select(c => c.Field).ToList();

    /// <summary>A store holds a field the case corrects (its findings name the fields its registry maps on the subject's rows).</summary>
    public bool HoldsApprovedField(StoreFindings findings)
    {
        ArgumentNullException.ThrowIfNull(findings);
        return !findings.Reachable || findings.Fields.Intersect(ApprovedFields, StringComparer.Ordinal).Any();
    }

    private void SetCorrections(IEnumerable<CaseCorrection> corrections) =>
        CorrectionsData = JsonSerializer.Serialize(corrections.ToList(), JsonSerializerOptions.Web);
}
