using Closely.BuildingBlocks.Deadlines;
using Closely.Intake.Persistence;
using Closely.Intake.Requests;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Closely.Intake.Pages;

/// <summary>
/// The confirmation after the form: reference, due date and status link. Reached with the request's status
/// token, like the status link, so it needs no session and shows nothing to anyone without the token.
/// </summary>
public sealed class ReceivedModel(IntakeDbContext db, StatutoryDeadlines deadlines, IOptions<IntakeOptions> options) : PageModel
{
    public bool Found { get; private set; }

    public string Reference { get; private set; } = "";

    public DateOnly DueOn { get; private set; }

    public Uri StatusUrl { get; private set; } = null!;

    public async Task<IActionResult> OnGetAsync(Guid id, string? token, CancellationToken cancellationToken)
    {
        // The token is a credential: keep the page out of caches and the link out of referrers.
        Response.Headers.CacheControl = "no-store";
        Response.Headers["Referrer-Policy"] = "no-referrer";
        var request = await db.Requests.AsNoTracking()
            .Where(r => r.Id == id)
            .Select(r => new { r.Reference, r.ReceivedAt, r.StatusTokenHash, r.Language })
            .SingleOrDefaultAsync(cancellationToken);
        if (request is null || !RequestTokens.Matches(token, request.StatusTokenHash))
        {
            var notFound = Page();
            notFound.StatusCode = StatusCodes.Status404NotFound;
            return notFound;
        }

        Found = true;
        Reference = request.Reference;
        DueOn = deadlines.For(request.ReceivedAt).DueOn;
        StatusUrl = RequestTokens.StatusUrl(options.Value.PublicBaseUrl, id, token!, request.Language);
        return Page();
    }
}
