using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.Extensions.Localization;

namespace Closely.Intake.Pages;

/// <summary>A field's problem, shown in the error summary (linking to <see cref="FieldId"/>) and beside the field.</summary>
public sealed record FieldError(string FieldId, string Message);

/// <summary>A privacy-centre page with a form: its problems, and answering with the form again.</summary>
public abstract class FormPageModel(IStringLocalizer<PageTexts> texts) : PageModel
{
    protected IStringLocalizer<PageTexts> Texts { get; } = texts;

    public List<FieldError> Errors { get; } = [];

    public string? ErrorFor(string fieldId) => Errors.Find(e => e.FieldId == fieldId)?.Message;

    protected void AddError(string fieldId, string textKey, params object[] arguments) =>
        Errors.Add(new FieldError(fieldId, Texts[textKey, arguments]));

    /// <summary>
    /// The problem with an email field, as <see cref="Requests.SubmitRequest.Validate"/> found it: one of the platform's own
    /// addresses (<c>ErrorPlatformEmail</c>), or else the field's own message <paramref name="textKey"/>.
    /// </summary>
    protected void AddEmailError(string fieldId, string textKey, Dictionary<string, string[]> errors) =>
        AddError(fieldId, errors.TryGetValue("email", out var problems) && problems.Contains(Requests.SubmitRequest.PlatformAddressRefused) ? "ErrorPlatformEmail" : textKey,
            Requests.SubmitRequest.MaxEmailLength);

    /// <summary>The form again, with what was entered and the problems, under <paramref name="statusCode"/>.</summary>
    protected PageResult FormAgain(int statusCode = StatusCodes.Status400BadRequest)
    {
        var page = Page();
        page.StatusCode = statusCode;
        return page;
    }
}
