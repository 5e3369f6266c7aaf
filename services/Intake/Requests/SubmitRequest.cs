using System.Net.Mail;
using Closely.Contracts;

namespace Closely.Intake.Requests;

/// <summary>The body of <c>POST /api/requests</c>.</summary>
/// <param name="RestrictionGround">For a restriction, the Art 18(1) ground in kebab case (see <see cref="Contracts.RestrictionGround"/>); optional.</param>
/// <param name="Corrections">For a rectification, the structured corrections (<see cref="CorrectionInput"/>); optional.</param>
public sealed record SubmitRequest(
    string? Type, string? Email, string? FullName, string? Details, string? RestrictionGround = null, IReadOnlyList<CorrectionInput>? Corrections = null)
{
    public const int MaxEmailLength = 254;
    public const int MaxFullNameLength = 200;
    public const int MaxDetailsLength = 4000;

    private static readonly Dictionary<string, DataSubjectRight> Rights = new(StringComparer.OrdinalIgnoreCase)
    {
        ["erasure"] = DataSubjectRight.Erasure,
        ["access"] = DataSubjectRight.Access,
        ["rectification"] = DataSubjectRight.Rectification,
        ["restriction"] = DataSubjectRight.Restriction,
        ["portability"] = DataSubjectRight.Portability,
        ["objection"] = DataSubjectRight.Objection,
        ["automated-decision-information"] = DataSubjectRight.AutomatedDecisionInformation,
    };

    /// <summary>Checks every field; returns the problems by field name (empty when valid) and the parsed values.</summary>
    public Dictionary<string, string[]> Validate(out ValidSubmitRequest? valid)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        valid = null;

        DataSubjectRight right = default;
        if (string.IsNullOrWhiteSpace(Type) || !Rights.TryGetValue(Type.Trim(), out right))
        {
            errors["type"] = [$"Must be one of: {string.Join(", ", Rights.Keys)}."];
        }

        var email = Email?.Trim() ?? "";
        if (email.Length == 0 || email.Length > MaxEmailLength
            || !MailAddress.TryCreate(email, out var address)
            || !string.Equals(address.Address, email, StringComparison.Ordinal))
        {
            errors["email"] = [$"Must be a valid email address of at most {MaxEmailLength} characters."];
        }

        var fullName = FullName?.Trim() ?? "";
        if (fullName.Length is 0 or > MaxFullNameLength)
        {
            errors["fullName"] = [$"Is required, at most {MaxFullNameLength} characters."];
        }

        var details = string.IsNullOrWhiteSpace(Details) ? null : Details.Trim();
        if (details?.Length > MaxDetailsLength)
        {
            errors["details"] = [$"Must be at most {MaxDetailsLength} characters."];
        }

        var ground = RestrictionGrounds.Parse(RestrictionGround);
        if (RestrictionGround is not null && (ground is null || right != DataSubjectRight.Restriction))
        {
            errors["restrictionGround"] =
            [
                $"Is given only with type restriction, and is one of: {string.Join(", ", Enum.GetValues<RestrictionGround>().Select(RestrictionGrounds.Name))}.",
            ];
        }

        var corrections = CorrectionInput.Validate(Corrections, right, "corrections", errors);
        if (errors.Count == 0)
        {
            valid = new ValidSubmitRequest(right, email, fullName, details, ground) { Corrections = corrections };
        }

        return errors;
    }
}

public sealed record ValidSubmitRequest(DataSubjectRight Right, string Email, string FullName, string? Details, RestrictionGround? RestrictionGround = null)
{
    /// <summary>For a rectification, the structured corrections; empty when none were given.</summary>
    public IReadOnlyList<FieldCorrection> Corrections { get; init; } = [];
}
