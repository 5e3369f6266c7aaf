using Closely.Contracts;
using Closely.Intake.Requests;

namespace Closely.Intake.Pages;

/// <summary>One structured correction row of the form, as entered.</summary>
public sealed record CorrectionRow(string? Field, string? Current, string? Value)
{
    public bool IsEmpty => string.IsNullOrWhiteSpace(Field) && string.IsNullOrWhiteSpace(Current) && string.IsNullOrWhiteSpace(Value);
}

// The form's structured corrections (Art 16, ADR 29): a few rows of field, what it says now and what it should say, checked by
// the API's rules; the free-text description is then optional.
public sealed partial class IndexModel
{
    /// <summary>How many correction rows the form offers.</summary>
    public const int CorrectionRows = 3;

    /// <summary>The fields a row may correct, as the API names them, and their text keys.</summary>
    public static readonly IReadOnlyList<(string Field, string TextKey)> CorrectionFields =
    [
        (RectificationFields.FullName, "FieldFullName"),
        (RectificationFields.JobTitle, "FieldJobTitle"),
        (RectificationFields.Company, "FieldCompany"),
        (RectificationFields.Phone, "FieldPhone"),
        (RectificationFields.Email, "FieldEmail"),
        (RectificationFields.LinkedInUrl, "FieldLinkedinUrl"),
        (RectificationFields.Country, "FieldCountry"),
    ];

    /// <summary>The rows as entered, <see cref="CorrectionRows"/> of them.</summary>
    public IReadOnlyList<CorrectionRow> Corrections { get; private set; } = [.. Enumerable.Repeat(new CorrectionRow(null, null, null), CorrectionRows)];

    /// <summary>The id of a row's input: <c>Correction-0-Field</c>, <c>-Current</c>, <c>-Value</c>.</summary>
    public static string CorrectionId(int row, string part) => $"Correction-{row}-{part}";

    private void BindCorrections(Func<string, string?> field) =>
        Corrections = [.. Enumerable.Range(0, CorrectionRows).Select(i =>
            new CorrectionRow(field(CorrectionId(i, "Field")), field(CorrectionId(i, "Current")), field(CorrectionId(i, "Value"))))];

    /// <summary>The filled rows checked by the API's rules, each problem beside its input; the corrections, or empty.</summary>
    private IReadOnlyList<FieldCorrection> ValidateCorrections()
    {
        var filled = Corrections.Select((row, index) => (row, index)).Where(r => !r.row.IsEmpty).ToList();
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        var corrections = CorrectionInput.Validate(
            [.. filled.Select(r => new CorrectionInput(r.row.Field, r.row.Current, r.row.Value))], DataSubjectRight.Rectification, "corrections", errors);
        for (var i = 0; i < filled.Count; i++)
        {
            var row = filled[i].index;
            if (errors.ContainsKey($"corrections[{i}].field"))
            {
                var twice = RectificationFields.Parse(filled[i].row.Field) is not null;
                AddError(CorrectionId(row, "Field"), twice ? "ErrorCorrectionFieldTwice" : "ErrorCorrectionField");
            }

            if (errors.ContainsKey($"corrections[{i}].current"))
            {
                AddError(CorrectionId(row, "Current"), "ErrorCorrectionCurrent", CorrectionInput.MaxValueLength);
            }

            if (errors.ContainsKey($"corrections[{i}].correction"))
            {
                AddError(CorrectionId(row, "Value"), "ErrorCorrectionValue", CorrectionInput.MaxValueLength);
            }
        }

        return errors.Count == 0 ? corrections : [];
    }
}
