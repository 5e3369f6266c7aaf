using Closely.BuildingBlocks.Localization;
using Closely.Contracts;
using Closely.Intake.Requests;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;

namespace Closely.Intake.Pages;

/// <summary>
/// The opt-out page: an objection to direct marketing (Art 21(2)), which is absolute. Stored as an objection
/// case whose address goes on the suppression list (as its keyed hash) in the same transaction; the saga closes
/// the case at once and downstream systems hear <see cref="SubjectObjected"/>.
/// </summary>
[IgnoreAntiforgeryToken] // validated in the handler, so a failure gets a readable page
[EnableRateLimiting(PrivacyCentreRateLimitPolicy.Name)]
public sealed partial class OptOutModel(
    IStringLocalizer<PageTexts> texts,
    RequestStore store,
    IAntiforgery antiforgery,
    IOptions<IntakeOptions> intake,
    ILogger<OptOutModel> logger) : FormPageModel(texts)
{
    [BindProperty]
    public string? Email { get; set; }

    public void OnGet()
    {
    }

    public async Task<IActionResult> OnPostAsync(CancellationToken cancellationToken)
    {
        if (!await antiforgery.IsRequestValidAsync(HttpContext))
        {
            AddError(nameof(Email), "ErrorFormExpired");
            return FormAgain();
        }

        // The API's rule for an email address; an opt-out needs no name.
        var errors = new SubmitRequest("objection", Email, "-", null).Validate(out var valid, intake.Value.PlatformDomains);
        if (errors.ContainsKey("email") || valid is null)
        {
            AddEmailError(nameof(Email), "ErrorOptOutEmail", errors);
            return FormAgain();
        }

        var stored = await store.StoreAsync(new NewRequest
        {
            Right = DataSubjectRight.Objection,
            Channel = IntakeChannel.OptOut,
            Email = valid.Email,
            FullName = "",
            Language = PublicLanguages.Current.Code,
            Suppress = true,
        }, cancellationToken);
        LogOptedOut(logger, stored.Id, stored.Reference);
        return RedirectToPage("OptOutConfirmed");
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Accepted opt-out {CaseId} ({Reference})")]
    private static partial void LogOptedOut(ILogger logger, Guid caseId, string reference);
}
