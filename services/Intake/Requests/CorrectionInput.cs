using Closely.Contracts;

namespace Closely.Intake.Requests;

/// <summary>One structured correction as the API and the form take it: <c>{ "field": "jobTitle", "current": "...", "correction": "..." }</c>.</summary>
public sealed record CorrectionInput(string? Field, string? Current, string? Correction)
{
    public const int MaxCorrections = 7;
    public const int MaxValueLength = FieldCorrection.MaxLength;

    /// <summary>
    /// Checks the corrections of a request (ADR 29): only with a rectification, at most <see cref="MaxCorrections"/>, each a
    /// known field at most once, a correction of 1 to <see cref="MaxValueLength"/> characters and a current value of at most
    /// as many, neither with control characters. Adds the problems to <paramref name="errors"/> by field
    /// (<c>corrections[0].field</c>) and returns the corrections, trimmed; empty when none were given.
    /// </summary>
    public static IReadOnlyList<FieldCorrection> Validate(
        IReadOnlyList<CorrectionInput>? inputs, DataSubjectRight right, string name, Dictionary<string, string[]> errors)
    {
        ArgumentNullException.ThrowIfNull(errors);
        if (inputs is not { Count: > 0 })
        {
            return [];
        }

        if (right != DataSubjectRight.Rectification)
        {
            errors[name] = ["Are given only with type rectification."];
            return [];
        }

        if (inputs.Count > MaxCorrections)
        {
            errors[name] = [$"At most {MaxCorrections} corrections, one per field."];
            return [];
        }

        var corrections = new List<FieldCorrection>();
        for (var i = 0; i < inputs.Count; i++)
        {
            var at = $"{name}[{i}]";
            var input = inputs[i] ?? new CorrectionInput(null, null, null);
            var field = RectificationFields.Parse(input.Field);
            if (field is null)
            {
                errors[$"{at}.field"] = [$"Must be one of: {string.Join(", ", RectificationFields.All)}."];
            }
            else if (corrections.Exists(c => c.Field == field))
            {
                errors[$"{at}.field"] = [$"{field} is corrected twice; give one correction per field."];
            }

            var current = string.IsNullOrWhiteSpace(input.Current) ? null : input.Current.Trim();
            // The raw value is checked, as for every single-line field: a trailing line break is refused, not trimmed away.
            if (current is not null && (current.Length > MaxValueLength || !SubmitRequest.IsSingleLine(input.Current)))
            {
                errors[$"{at}.current"] = [$"Must be at most {MaxValueLength} characters, without control characters."];
            }

            var correction = input.Correction?.Trim() ?? "";
            if (correction.Length == 0 || correction.Length > MaxValueLength || !SubmitRequest.IsSingleLine(input.Correction))
            {
                errors[$"{at}.correction"] = [$"Is required, at most {MaxValueLength} characters, without control characters."];
            }

            if (field is not null)
            {
                corrections.Add(new FieldCorrection { Field = field, Current = current, Correction = correction });
            }
        }

        return corrections;
    }
}
