using System.Net.Mail;
using Closely.Contracts;

namespace Closely.Intake.Requests;

/// <summary>
/// The body of <c>POST /api/requests</c> and of the client API, and the rules every channel's fields are checked by
/// (the form checks its fields through <see cref="Validate"/>, too): a name and an email are one line without control
/// characters, an email's domain has a dot and no trailing dot, longer text has no control characters besides line
/// breaks and tabs. The name is optional (data minimisation, ADR 35): no right needs it, since the subject is found
/// and verified by the email address; only an agent's request names both people, as the written authority does.
/// </summary>
/// <param name="RestrictionGround">For a restriction, the Art 18(1) ground in kebab case (see <see cref="Contracts.RestrictionGround"/>); optional.</param>
/// <param name="ObjectionScope">
/// For an objection, what it is to: <c>direct-marketing</c> (Art 21(2), carried out at once on the suppression list) or
/// <c>other</c> processing (Art 21(1), restricted under Art 18(1)(d) while the DPO weighs it); absent means <c>other</c>.
/// </param>
/// <param name="Corrections">For a rectification, the structured corrections (<see cref="CorrectionInput"/>); optional.</param>
public sealed record SubmitRequest(
    string? Type, string? Email, string? FullName, string? Details, string? RestrictionGround = null, string? ObjectionScope = null,
    IReadOnlyList<CorrectionInput>? Corrections = null)
{
    public const string PlatformAddressRefused = "Is an address of Closely's own, which is never a requester: give the address the request is about.";

    public const string DirectMarketingScope = "direct-marketing";
    public const string OtherScope = "other";

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
    /// <param name="valid">The parsed values when every field is valid; the name is empty when none was given.</param>
    /// <param name="platformDomains">The platform's own mail domains (<see cref="IntakeOptions.PlatformDomains"/>): an address there is refused.</param>
    /// <param name="nameRequired">True for the people named in an agent's request; otherwise the name may be left out.</param>
    public Dictionary<string, string[]> Validate(out ValidSubmitRequest? valid, IEnumerable<string> platformDomains, bool nameRequired = false)
    {
        var errors = new Dictionary<string, string[]>(StringComparer.Ordinal);
        valid = null;

        DataSubjectRight right = default;
        if (string.IsNullOrWhiteSpace(Type) || !Rights.TryGetValue(Type.Trim(), out right))
        {
            errors["type"] = [$"Must be one of: {string.Join(", ", Rights.Keys)}."];
        }

        var email = Email?.Trim() ?? "";
        if (!IsEmailAddress(Email))
        {
            errors["email"] = [$"Must be a valid email address of at most {MaxEmailLength} characters, on one line, with a domain that has a dot and does not end in one."];
        }
        else if (PlatformAddresses.IsPlatformAddress(email, platformDomains))
        {
            errors["email"] = [PlatformAddressRefused];
        }

        var fullName = FullName?.Trim() ?? "";
        if (fullName.Length > MaxFullNameLength || (nameRequired && fullName.Length == 0) || !IsSingleLine(FullName))
        {
            errors["fullName"] = [nameRequired
                ? $"Is required, one line of at most {MaxFullNameLength} characters without control characters."
                : $"Is optional; when given, one line of at most {MaxFullNameLength} characters without control characters."];
        }

        var details = string.IsNullOrWhiteSpace(Details) ? null : Details.Trim();
        if (details?.Length > MaxDetailsLength || !IsText(Details))
        {
            errors["details"] = [$"Must be at most {MaxDetailsLength} characters, without control characters other than line breaks and tabs."];
        }

        var ground = RestrictionGrounds.Parse(RestrictionGround);
        if (RestrictionGround is not null && (ground is null || right != DataSubjectRight.Restriction))
        {
            errors["restrictionGround"] =
            [
                $"Is given only with type restriction, and is one of: {string.Join(", ", Enum.GetValues<RestrictionGround>().Select(RestrictionGrounds.Name))}.",
            ];
        }

        var scope = ObjectionScope?.Trim();
        if (scope is not null && (right != DataSubjectRight.Objection
            || !(string.Equals(scope, DirectMarketingScope, StringComparison.OrdinalIgnoreCase) || string.Equals(scope, OtherScope, StringComparison.OrdinalIgnoreCase))))
        {
            errors["objectionScope"] = [$"Is given only with type objection, and is one of: {DirectMarketingScope}, {OtherScope}."];
        }

        var corrections = CorrectionInput.Validate(Corrections, right, "corrections", errors);
        if (errors.Count == 0)
        {
            valid = new ValidSubmitRequest(right, email, fullName, details, ground,
                right == DataSubjectRight.Objection && string.Equals(scope, DirectMarketingScope, StringComparison.OrdinalIgnoreCase))
            {
                Corrections = corrections,
            };
        }

        return errors;
    }

    /// <summary>
    /// A single-line field (a name, an address, a subject line): no character of Unicode category Cc anywhere — no
    /// CR or LF that could start a new mail header or log line, no NUL, no escape sequence. Null counts as valid.
    /// </summary>
    public static bool IsSingleLine(string? value) => value is null || !value.Any(char.IsControl);

    /// <summary>Multi-line text: control characters only as line breaks and tabs.</summary>
    public static bool IsText(string? value) => value is null || !value.Any(c => char.IsControl(c) && c is not ('\r' or '\n' or '\t'));

    /// <summary>
    /// A bare address (no display name) of at most <see cref="MaxEmailLength"/> characters on one line, whose domain is
    /// a host name with a dot, no empty label and no trailing dot (not <c>user@localhost</c>, <c>user@example.org.</c>
    /// or an address literal such as <c>user@[127.0.0.1]</c>).
    /// </summary>
    public static bool IsEmailAddress(string? value)
    {
        var email = value?.Trim() ?? "";
        if (email.Length is 0 or > MaxEmailLength || !IsSingleLine(value)
            || !MailAddress.TryCreate(email, out var address)
            || !string.Equals(address.Address, email, StringComparison.Ordinal))
        {
            return false;
        }

        var domain = address.Host;
        return domain.Contains('.', StringComparison.Ordinal)
            && !domain.StartsWith('[')
            && domain.Split('.').All(label => label.Length is > 0 and <= 63 && !label.StartsWith('-') && !label.EndsWith('-'));
    }
}

/// <param name="DirectMarketing">An objection to direct marketing: the address goes on the suppression list with the request.</param>
public sealed record ValidSubmitRequest(
    DataSubjectRight Right, string Email, string FullName, string? Details, RestrictionGround? RestrictionGround = null, bool DirectMarketing = false)
{
    /// <summary>For a rectification, the structured corrections; empty when none were given.</summary>
    public IReadOnlyList<FieldCorrection> Corrections { get; init; } = [];
}
