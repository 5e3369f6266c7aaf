using System.Net.Mime;
using Closely.Cases.Audit;
using Closely.Contracts;

namespace Closely.Cases.DpoConsole;

/// <summary>
/// The internal case API behind the console's sign-in, and the download of an agent's written authority (recorded in
/// the case's audit trail before it is sent).
/// </summary>
public static class CaseApi
{
    public static RouteGroupBuilder MapCaseApi(this RouteGroupBuilder group)
    {
        ArgumentNullException.ThrowIfNull(group);
        group.MapGet("/api/cases", ListAsync);
        group.MapGet("/api/cases/{id:guid}", ShowAsync);
        group.MapGet("/cases/{id:guid}/authority-document", AuthorityDocumentAsync);
        return group;
    }

    private static async Task<IResult> ListAsync(
        string? state, DataSubjectRight? right, IntakeChannel? channel, int? dueWithinDays, bool? overdue, string? reference,
        CaseQueries queries, TimeProvider clock, CancellationToken cancellationToken)
    {
        var filter = new CaseFilter
        {
            State = state,
            Right = right,
            Channel = channel,
            DueWithinDays = dueWithinDays,
            Overdue = overdue == true,
            Reference = reference,
        };
        return Results.Ok(await queries.ListAsync(filter, clock.GetUtcNow(), cancellationToken));
    }

    /// <summary>The case's progress, without the requester's personal data.</summary>
    private static async Task<IResult> ShowAsync(Guid id, CaseQueries queries, CancellationToken cancellationToken)
    {
        var saga = await queries.FindAsync(id, cancellationToken);
        return saga is null
            ? Results.NotFound()
            : Results.Ok(new
            {
                id = saga.CorrelationId,
                saga.Reference,
                state = saga.CurrentState,
                saga.Right,
                saga.Channel,
                saga.ReceivedAt,
                saga.DueOn,
                saga.TargetOn,
                saga.Extended,
                saga.ClosedAt,
                stores = saga.Stores.Select(s => new { s.StoreId, status = s.Status.ToString(), s.RowsFound, s.RowsAffected, s.Failures, s.Reason, s.Ambiguous }),
            });
    }

    /// <summary>The document as an attachment with the type sniffed at intake, never rendered in the console's origin.</summary>
    private static async Task<IResult> AuthorityDocumentAsync(
        Guid id, HttpContext http, CaseQueries queries, CaseAccessLog access, CancellationToken cancellationToken)
    {
        if (!await queries.HasAuthorityDocumentAsync(id, cancellationToken)
            || !await access.RecordAsync(id, http.User.Identity!.Name!, PersonalDataAccess.AuthorityDocument, cancellationToken)
            || await queries.AuthorityDocumentAsync(id, cancellationToken) is not { } document)
        {
            return Results.NotFound();
        }

        http.Response.Headers.XContentTypeOptions = "nosniff";
        var extension = document.ContentType switch
        {
            MediaTypeNames.Application.Pdf => ".pdf",
            MediaTypeNames.Image.Png => ".png",
            MediaTypeNames.Image.Jpeg => ".jpg",
            _ => ".bin",
        };
        var contentType = extension == ".bin" ? MediaTypeNames.Application.Octet : document.ContentType;
        return Results.File(document.Content, contentType, $"authority-{id:N}{extension}");
    }
}
