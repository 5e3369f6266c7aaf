using System.Text.Json;
using Closely.BuildingBlocks.Deadlines;
using Closely.BuildingBlocks.Privacy;
using Closely.Contracts;
using Closely.Intake.Outbox;
using Closely.Intake.Persistence;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Closely.Intake.Requests;

/// <summary><c>POST /api/requests</c> and the requester's status link.</summary>
public static partial class RequestApi
{
    public const string SubmitRateLimitPolicy = "intake-submit";
    public const string ReceivedStatus = "received";

    public static IEndpointRouteBuilder MapRequestEndpoints(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var group = app.MapGroup("/api/requests");
        group.MapPost("/", SubmitAsync).RequireRateLimiting(SubmitRateLimitPolicy);
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

        var body = await ReadBodyAsync(http, settings.MaxRequestBodyBytes, cancellationToken);
        if (body is null)
        {
            return TypedResults.Problem(
                statusCode: StatusCodes.Status413PayloadTooLarge,
                title: "Request body too large",
                detail: $"The request body may be at most {settings.MaxRequestBodyBytes} bytes.");
        }

        SubmitRequest? request;
        try
        {
            request = JsonSerializer.Deserialize<SubmitRequest>(body, JsonSerializerOptions.Web);
        }
        catch (JsonException)
        {
            request = null;
        }

        if (request is null)
        {
            return TypedResults.ValidationProblem(
                new Dictionary<string, string[]> { ["body"] = ["Must be a JSON object with type, email, fullName and details."] });
        }

        var errors = request.Validate(out var valid);
        if (valid is null)
        {
            return TypedResults.ValidationProblem(errors);
        }

        var stored = await store.StoreAsync(new NewRequest
        {
            Right = valid.Right,
            Channel = IntakeChannel.Api,
            Email = valid.Email,
            FullName = valid.FullName,
            Details = valid.Details,
        }, cancellationToken);
        LogAccepted(loggers.CreateLogger(typeof(RequestApi).FullName!), stored.Id, stored.Reference, stored.Right);

        var statusUrl = new Uri(settings.PublicBaseUrl, $"/api/requests/{stored.Id}/status?token={stored.StatusToken}");
        return TypedResults.Accepted(statusUrl, new SubmitResponse(
            stored.Id, stored.Reference, ReceivedStatus, stored.ReceivedAt, stored.DueOn, statusUrl));
    }

    public static async Task<Results<Ok<StatusResponse>, ProblemHttpResult>> StatusAsync(
        Guid id,
        string? token,
        IntakeDbContext db,
        StatutoryDeadlines deadlines,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(deadlines);
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
            status.Stores.Select(s => new StoreStatusResponse(s.StoreId, s.Status, s.Reason)).ToList()));
    }

    /// <summary>The body, or null when it is larger than <paramref name="limit"/>.</summary>
    private static async Task<byte[]?> ReadBodyAsync(HttpRequest http, int limit, CancellationToken cancellationToken)
    {
        if (http.ContentLength > limit)
        {
            return null;
        }

        using var buffer = new MemoryStream();
        var chunk = new byte[8192];
        int read;
        while ((read = await http.Body.ReadAsync(chunk, cancellationToken)) > 0)
        {
            if (buffer.Length + read > limit)
            {
                return null;
            }

            buffer.Write(chunk, 0, read);
        }

        return buffer.ToArray();
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Accepted request {CaseId} ({Reference}) for {Right}")]
    private static partial void LogAccepted(ILogger logger, Guid caseId, string reference, DataSubjectRight right);
}

public sealed record SubmitResponse(Guid Id, string Reference, string Status, DateTimeOffset ReceivedAt, DateOnly DueAt, Uri StatusUrl);

public sealed record StatusResponse(string Reference, string Status, DateOnly DueOn, bool Extended, IReadOnlyList<StoreStatusResponse> Stores);

public sealed record StoreStatusResponse(string StoreId, string Status, string? Reason);
