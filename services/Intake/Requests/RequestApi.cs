using System.Text.Json;
using Closely.BuildingBlocks.Deadlines;
using Closely.BuildingBlocks.Localization;
using Closely.BuildingBlocks.Privacy;
using Closely.Contracts;
using Closely.Intake.Outbox;
using Closely.Intake.Pages;
using Closely.Intake.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Closely.Intake.Requests;

/// <summary><c>POST /api/requests</c> and the requester's status link (JSON here; the page is <c>Pages/Status</c>).</summary>
public static partial class RequestApi
{
    public const string SubmitRateLimitPolicy = "intake-submit";
    public const string ReceivedStatus = "received";

    public static IEndpointRouteBuilder MapRequestApi(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var group = app.MapGroup("/api/requests");
        group.MapPost("/", SubmitAsync)
            .RequireRateLimiting(SubmitRateLimitPolicy)
            .Accepts<SubmitRequest>("application/json")
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType);
        group.MapGet("/{id:guid}/status", StatusAsync);
        return app;
    }

    public static async Task<Results<Accepted<SubmitResponse>, ValidationProblem, ProblemHttpResult>> SubmitAsync(
        HttpRequest http,
        RequestStore store,
        IOptions<IntakeOptions> options,
        ILoggerFactory loggers,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(loggers);
        var settings = options.Value;

        var read = await SubmitRequestBody.ReadAsync(http, settings.MaxRequestBodyBytes, settings.PlatformDomains, cancellationToken);
        if (read.Refused is { } refused)
        {
            return refused;
        }

        if (read.Invalid is { } invalid)
        {
            return invalid;
        }

        var valid = read.Valid!;
        var language = PublicLanguages.Current.Code;
        var stored = await store.StoreAsync(new NewRequest
        {
            Right = valid.Right,
            Channel = IntakeChannel.Api,
            Email = valid.Email,
            FullName = valid.FullName,
            Details = valid.Details,
            RestrictionGround = valid.RestrictionGround,
            Suppress = valid.DirectMarketing,
            Corrections = valid.Corrections,
            Language = language,
        }, cancellationToken);
        LogAccepted(loggers.CreateLogger(typeof(RequestApi).FullName!), stored.Id, stored.Reference, stored.Right);

        var statusUrl = RequestTokens.StatusUrl(settings.PublicBaseUrl, stored.Id, stored.StatusToken!, language);
        return TypedResults.Accepted(statusUrl, new SubmitResponse(
            stored.Id, stored.Reference, ReceivedStatus, stored.ReceivedAt, stored.DueOn, statusUrl));
    }

    /// <summary>
    /// The status link: JSON for API clients; a browser (asking for <c>text/html</c>) is sent on to the status page,
    /// with the same token and language.
    /// </summary>
    public static async Task<Results<Ok<StatusResponse>, ProblemHttpResult, RedirectHttpResult>> StatusAsync(
        Guid id,
        string? token,
        HttpRequest http,
        IntakeDbContext db,
        StatutoryDeadlines deadlines,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(deadlines);
        if (PageNegotiation.PrefersPage(http))
        {
            return TypedResults.Redirect($"{http.PathBase}/requests/{id}/status{http.QueryString}");
        }

        var request = await db.Requests.AsNoTracking()
            .Where(r => r.Id == id)
            .Select(r => new { r.Reference, r.ReceivedAt, r.StatusTokenHash })
            .SingleOrDefaultAsync(cancellationToken);
        if (request is null || !RequestTokens.Matches(token, request.StatusTokenHash))
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status404NotFound, title: "Request not found");
        }

        var status = await db.CaseStatuses.AsNoTracking().SingleOrDefaultAsync(s => s.CaseId == id, cancellationToken);
        if (status is null)
        {
            return TypedResults.Ok(new StatusResponse(
                request.Reference, ReceivedStatus, deadlines.For(request.ReceivedAt).DueOn, false, []));
        }

        return TypedResults.Ok(new StatusResponse(
            request.Reference,
            JsonNamingPolicy.KebabCaseLower.ConvertName(status.State),
            status.DueOn,
            status.Extended,
            status.Stores.Select(s => new StoreStatusResponse(s.StoreId, s.Action, s.Status, s.Reason, s.HeldUntil)).ToList()));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Accepted request {CaseId} ({Reference}) for {Right}")]
    private static partial void LogAccepted(ILogger logger, Guid caseId, string reference, DataSubjectRight right);
}

public sealed record SubmitResponse(Guid Id, string Reference, string Status, DateTimeOffset ReceivedAt, DateOnly DueAt, Uri StatusUrl);

public sealed record StatusResponse(string Reference, string Status, DateOnly DueOn, bool Extended, IReadOnlyList<StoreStatusResponse> Stores);

/// <summary>One step in one store: its action (<c>erase</c>, <c>restrict</c>, <c>lift-restriction</c>, <c>erase-held</c>, ...), status, and for an
/// erasure that kept rows under a legal hold the day the hold ends.</summary>
public sealed record StoreStatusResponse(string StoreId, string Action, string Status, string? Reason, DateOnly? HeldUntil);
