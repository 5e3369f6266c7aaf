using Closely.BuildingBlocks.Localization;
using Closely.Contracts;
using Closely.Intake.Persistence;
using Closely.Intake.Requests;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;

namespace Closely.Intake.Pages;

/// <summary>
/// The privacy centre's request form: a data subject, or an authorised agent for one, chooses a right and
/// sends the request. Stored through <see cref="RequestStore"/> like every other channel.
/// </summary>
[IgnoreAntiforgeryToken] // validated in the handler, after the form is streamed, so a failure gets a readable page
[EnableRateLimiting(PrivacyCentreRateLimitPolicy.Name)]
public sealed partial class IndexModel(
    IStringLocalizer<PageTexts> texts,
    RequestStore store,
    IAntiforgery antiforgery,
    IOptions<PrivacyCentreOptions> options,
    IOptions<IntakeOptions> intake,
    ILogger<IndexModel> logger) : FormPageModel(texts)
{
    public const string Self = "self";
    public const string Agent = "agent";
    public const string AuthorityField = "Authority";

    /// <summary>The rights the form offers, in its order: the API's type names and their text keys.</summary>
    public static readonly IReadOnlyList<(string Value, string TextKey)> Rights =
    [
        ("access", "RightAccess"),
        ("rectification", "RightRectification"),
        ("erasure", "RightErasure"),
        ("restriction", "RightRestriction"),
        ("portability", "RightPortability"),
        ("objection", "RightObjection"),
        ("automated-decision-information", "RightAutomatedDecisions"),
    ];

    /// <summary>
    /// The grounds of Art 18(1) GDPR: the letter, its text key, how it is written into the request's details for the
    /// privacy desk, and the ground the case carries (as the API's <c>restrictionGround</c>).
    /// </summary>
    public static readonly IReadOnlyList<(string Letter, string TextKey, string Recorded, Contracts.RestrictionGround Ground)> RestrictionGrounds =
    [
        ("a", "GroundA", "the accuracy of the personal data is contested", Contracts.RestrictionGround.AccuracyContested),
        ("b", "GroundB", "the processing is unlawful and the subject opposes erasure", Contracts.RestrictionGround.UnlawfulProcessing),
        ("c", "GroundC", "Closely no longer needs the data, but the subject needs it for legal claims", Contracts.RestrictionGround.LegalClaims),
        ("d", "GroundD", "the subject has objected under Art 21(1) and the verification of overriding grounds is pending", Contracts.RestrictionGround.ObjectionPending),
    ];

    /// <summary>The id of the form's first input, where problems with the form as a whole link to.</summary>
    public const string FirstFieldId = "Right-access";

    private static readonly string[] FieldsInPageOrder =
    [
        nameof(Right), "Correction-", nameof(WhatIsWrong), nameof(Correction), nameof(RestrictionGround), nameof(Details),
        nameof(ActingFor), nameof(SubjectFullName), nameof(SubjectEmail), nameof(AgentFullName), nameof(AgentEmail), AuthorityField,
    ];

    public string ActingFor { get; private set; } = Self;

    public string? Right { get; private set; }

    public string? SubjectFullName { get; private set; }

    public string? SubjectEmail { get; private set; }

    public string? AgentFullName { get; private set; }

    public string? AgentEmail { get; private set; }

    public string? Details { get; private set; }

    public string? WhatIsWrong { get; private set; }

    public string? Correction { get; private set; }

    public string? RestrictionGround { get; private set; }

    /// <summary>For an objection: <c>yes</c> when it is to direct marketing (Art 21(2)), which the suppression list carries out at once.</summary>
    public string? ObjectionToDirectMarketing { get; private set; }

    /// <summary>A valid authority came with a form that had other problems: files are never kept, so it must be chosen again.</summary>
    public bool ChooseAuthorityAgain { get; private set; }

    public int MaxAuthorityMegabytes => options.Value.MaxAuthorityBytes / (1024 * 1024);

    public void OnGet()
    {
    }

    /// <summary>
    /// Takes no parameters on purpose: a bound parameter would make MVC read (and buffer) the whole form
    /// before the handler runs, upload included.
    /// </summary>
    public async Task<IActionResult> OnPostAsync()
    {
        var cancellationToken = HttpContext.RequestAborted;
        var settings = options.Value;
        if (Request.ContentLength > settings.MaxFormBytes)
        {
            AddError(AuthorityField, "ErrorAuthorityTooLarge", MaxAuthorityMegabytes);
            return FormAgain(StatusCodes.Status413PayloadTooLarge);
        }

        if (HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } bodySize)
        {
            bodySize.MaxRequestBodySize = settings.MaxFormBytes;
        }

        StreamedForm? form;
        try
        {
            form = await StreamedForm.ReadAsync(Request, AuthorityField, settings.MaxAuthorityBytes, cancellationToken);
        }
        catch (Exception exception) when (exception is IOException or InvalidDataException)
        {
            form = null;
        }

        if (form is null)
        {
            AddError(FirstFieldId, "ErrorFormUnreadable");
            return FormAgain();
        }

        Bind(form.Fields);
        if (!await antiforgery.IsRequestValidAsync(HttpContext))
        {
            AddError(FirstFieldId, "ErrorFormExpired");
            return FormAgain();
        }

        var request = Validate(form.File);
        if (request is null)
        {
            ChooseAuthorityAgain = ActingFor == Agent && form.File is { TooLarge: false } && ErrorFor(AuthorityField) is null;
            return FormAgain(form.File is { TooLarge: true } ? StatusCodes.Status413PayloadTooLarge : StatusCodes.Status400BadRequest);
        }

        var stored = await store.StoreAsync(request, cancellationToken);
        LogAccepted(logger, stored.Id, stored.Reference, stored.Right, ActingFor == Agent);
        return RedirectToPage("Received", new { id = stored.Id, token = stored.StatusToken });
    }

    private void Bind(IFormCollection fields)
    {
        string? Field(string name) => fields.TryGetValue(name, out var value) ? value.ToString() : null;
        ActingFor = Field(nameof(ActingFor)) == Agent ? Agent : Self;
        Right = Field(nameof(Right));
        SubjectFullName = Field(nameof(SubjectFullName));
        SubjectEmail = Field(nameof(SubjectEmail));
        AgentFullName = Field(nameof(AgentFullName));
        AgentEmail = Field(nameof(AgentEmail));
        Details = Field(nameof(Details));
        WhatIsWrong = Field(nameof(WhatIsWrong));
        Correction = Field(nameof(Correction));
        RestrictionGround = Field(nameof(RestrictionGround));
        ObjectionToDirectMarketing = Field(nameof(ObjectionToDirectMarketing));
        BindCorrections(Field);
    }

    /// <summary>Checks every field (with the API's rules where they overlap); the request to store, or null with <see cref="FormPageModel.Errors"/> filled.</summary>
    private NewRequest? Validate(UploadedFile? file)
    {
        // The API's rules for the right, the subject's email and name, and the details.
        // The subject's name only when an agent acts: the written authority names both people (ADR 35).
        var byAgent = ActingFor == Agent;
        var subjectErrors = new SubmitRequest(Right, SubjectEmail, SubjectFullName, Details).Validate(out var subject, intake.Value.PlatformDomains, nameRequired: byAgent);
        if (subjectErrors.ContainsKey("type"))
        {
            AddError(FirstFieldId, "ErrorRight");
        }

        if (subjectErrors.ContainsKey("fullName"))
        {
            AddError(nameof(SubjectFullName), byAgent ? "ErrorSubjectFullName" : "ErrorSubjectFullNameOptional", SubmitRequest.MaxFullNameLength);
        }

        if (subjectErrors.ContainsKey("email"))
        {
            AddEmailError(nameof(SubjectEmail), "ErrorSubjectEmail", subjectErrors);
        }

        var right = Rights.FirstOrDefault(r => string.Equals(r.Value, Right?.Trim(), StringComparison.OrdinalIgnoreCase)).Value;
        var particulars = new List<string>();
        Contracts.RestrictionGround? restrictionGround = null;
        var directMarketing = right == "objection" && ObjectionToDirectMarketing == "yes";
        if (directMarketing)
        {
            particulars.Add("Objection to direct marketing (Art 21(2)): the address was put on the suppression list at intake.");
        }
        IReadOnlyList<FieldCorrection> corrections = [];
        if (right == "rectification")
        {
            // Structured corrections, or the description in words, which is optional beside them.
            corrections = ValidateCorrections();
            var structured = Corrections.Any(r => !r.IsEmpty);
            var wrong = structured && string.IsNullOrWhiteSpace(WhatIsWrong) ? null : Required(nameof(WhatIsWrong), WhatIsWrong, "ErrorWhatIsWrong");
            var correction = structured && string.IsNullOrWhiteSpace(Correction) ? null : Required(nameof(Correction), Correction, "ErrorCorrection");
            if (wrong is not null || correction is not null)
            {
                particulars.Add($"What is wrong: {wrong}\nCorrection: {correction}");
            }
        }

        if (right == "restriction")
        {
            var ground = RestrictionGrounds.FirstOrDefault(g => g.Letter == RestrictionGround);
            if (ground.Letter is null)
            {
                AddError("RestrictionGround-" + RestrictionGrounds[0].Letter, "ErrorRestrictionGround");
            }
            else
            {
                particulars.Add($"Art 18(1)({ground.Letter}) ground: {ground.Recorded}");
                restrictionGround = ground.Ground;
            }
        }

        if (subjectErrors.ContainsKey("details"))
        {
            AddError(nameof(Details), "ErrorDetails", SubmitRequest.MaxDetailsLength);
        }

        string? agentEmail = null;
        string? agentFullName = null;
        NewAttachment? authority = null;
        if (ActingFor == Agent)
        {
            var agentErrors = new SubmitRequest(Right, AgentEmail, AgentFullName, null).Validate(out var agent, intake.Value.PlatformDomains, nameRequired: true);
            if (agentErrors.ContainsKey("fullName"))
            {
                AddError(nameof(AgentFullName), "ErrorAgentFullName", SubmitRequest.MaxFullNameLength);
            }

            if (agentErrors.ContainsKey("email"))
            {
                AddEmailError(nameof(AgentEmail), "ErrorAgentEmail", agentErrors);
            }
            else if (string.Equals(AgentEmail?.Trim(), SubjectEmail?.Trim(), StringComparison.OrdinalIgnoreCase))
            {
                AddError(nameof(AgentEmail), "ErrorAgentEmailSame");
            }

            authority = Authority(file);
            agentEmail = agent?.Email;
            agentFullName = agent?.FullName;
        }

        if (Errors.Count > 0 || subject is null)
        {
            // The summary lists the problems in the order of the fields on the page.
            Errors.Sort((a, b) => FieldOrder(a.FieldId).CompareTo(FieldOrder(b.FieldId)));
            return null;
        }

        if (subject.Details is not null)
        {
            particulars.Add(subject.Details);
        }

        return new NewRequest
        {
            Right = subject.Right,
            Channel = IntakeChannel.WebForm,
            Email = subject.Email,
            FullName = subject.FullName,
            Details = particulars.Count == 0 ? null : string.Join("\n\n", particulars),
            RestrictionGround = restrictionGround,
            Corrections = corrections,
            // Absolute (Art 21(2)): the address goes on the suppression list with the request, as the opt-out does.
            Suppress = directMarketing,
            Language = PublicLanguages.Current.Code,
            AgentEmail = agentEmail,
            AgentFullName = agentFullName,
            Attachments = authority is null ? [] : [authority],
        };
    }

    private static int FieldOrder(string fieldId) =>
        Array.FindIndex(FieldsInPageOrder, field => fieldId.StartsWith(field, StringComparison.Ordinal));

    private string? Required(string field, string? value, string textKey)
    {
        var trimmed = value?.Trim() ?? "";
        if (trimmed.Length is 0 or > SubmitRequest.MaxDetailsLength || !SubmitRequest.IsText(value))
        {
            AddError(field, textKey, SubmitRequest.MaxDetailsLength);
            return null;
        }

        return trimmed;
    }

    /// <summary>The written authority, its type sniffed from its first bytes; null with an error when missing, too large or of another type.</summary>
    private NewAttachment? Authority(UploadedFile? file)
    {
        if (file is null || file.Length == 0)
        {
            AddError(AuthorityField, "ErrorAuthorityMissing");
            return null;
        }

        if (file.Content is null)
        {
            AddError(AuthorityField, "ErrorAuthorityTooLarge", MaxAuthorityMegabytes);
            return null;
        }

        if (AuthorityFile.SniffContentType(file.Content) is not { } contentType)
        {
            AddError(AuthorityField, "ErrorAuthorityType");
            return null;
        }

        return new NewAttachment(AttachmentKind.Authority, AuthorityFile.SafeFileName(file.FileName), contentType, file.Content);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Accepted web-form request {CaseId} ({Reference}) for {Right}; authorised agent: {ByAgent}")]
    private static partial void LogAccepted(ILogger logger, Guid caseId, string reference, DataSubjectRight right, bool byAgent);
}
