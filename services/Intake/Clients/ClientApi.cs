using System.Security.Cryptography;
using System.Text.Json;
using Closely.BuildingBlocks.Deadlines;
using Closely.BuildingBlocks.Localization;
using Closely.Contracts;
using Closely.Intake.Persistence;
using Closely.Intake.Requests;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Closely.Intake.Clients;

/// <summary>
/// The client API: client companies forward their customers' requests (<c>POST</c>) and read their
/// status (<c>GET</c>). Every call needs the client's API key; a client sees only its own requests.
/// </summary>
public static partial class ClientApi
{
    public const string BasePath = "/api/client/v1/requests";
    public const string RateLimitPolicy = "intake-client";
    public const string Tag = "Client API";

    /// <summary>Set on the answer to a retry that found the first request (as Stripe does).</summary>
    public const string ReplayedHeader = "Idempotent-Replayed";

    public static IEndpointRouteBuilder MapClientEndpoints(this IEndpointRouteBuilder app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var group = app.MapGroup(BasePath)
            .RequireAuthorization(ClientApiKeyHandler.PolicyName)
            .RequireRateLimiting(RateLimitPolicy)
            .WithTags(Tag)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status429TooManyRequests);
        group.MapPost("/", SubmitAsync)
            .WithName("SubmitClientRequest")
            .WithSummary("Forward a data subject request")
            .WithDescription(
                "Send a unique Idempotency-Key with every request and the same key when retrying it: the retry is " +
                "answered with the first request and makes no second case. The same key with another body is refused (422).")
            .Accepts<SubmitRequest>("application/json")
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity);
        group.MapGet("/{id:guid}", GetAsync)
            .WithName("GetClientRequest")
            .WithSummary("Read the status of a forwarded request");
        return app;
    }

    /// <summary>A case state or store status as clients see it: kebab-case, e.g. <c>awaiting-verification</c>.</summary>
    public static string StatusName(string state) => JsonNamingPolicy.KebabCaseLower.ConvertName(state);

    public static async Task<Results<Accepted<ClientRequestAccepted>, ValidationProblem, ProblemHttpResult>> SubmitAsync(
        HttpContext http,
        RequestStore store,
        IOptions<IntakeOptions> options,
        ILoggerFactory loggers,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(loggers);
        var logger = loggers.CreateLogger(typeof(ClientApi).FullName!);
        var clientId = ClientApiKeyHandler.ClientIdOf(http.User);

        var key = IdempotencyKey.Parse(http.Request.Headers[IdempotencyKey.HeaderName], out var keyProblem);
        if (key is null)
        {
            return TypedResults.Problem(statusCode: StatusCodes.Status400BadRequest, title: "Idempotency-Key header required", detail: keyProblem);
        }

        var read = await SubmitRequestBody.ReadAsync(http.Request, options.Value.MaxRequestBodyBytes, options.Value.PlatformDomains, cancellationToken);
        if (read.Refused is { } refused)
        {
            return refused;
        }

        if (read.Invalid is { } invalid)
        {
            return invalid;
        }

        var valid = read.Valid!;
        var fingerprint = SHA256.HashData(read.Body);
        var stored = await store.StoreAsync(new NewRequest
        {
            Right = valid.Right,
            Channel = IntakeChannel.ClientApi,
            Email = valid.Email,
            FullName = valid.FullName,
            Details = valid.Details,
            RestrictionGround = valid.RestrictionGround,
            Suppress = valid.DirectMarketing,
            Corrections = valid.Corrections,
            ClientId = clientId,
            IdempotencyKey = key,
            IdempotencyFingerprint = fingerprint,
            Language = PublicLanguages.Current.Code,
        }, cancellationToken);

        if (stored.Duplicate)
        {
            if (stored.IdempotencyFingerprint is null || !CryptographicOperations.FixedTimeEquals(fingerprint, stored.IdempotencyFingerprint))
            {
                return TypedResults.Problem(
                    statusCode: StatusCodes.Status422UnprocessableEntity,
                    title: "Idempotency-Key reused",
                    detail: "This Idempotency-Key was already used with a different request body. Use a new key for a new request.");
            }

            http.Response.Headers[ReplayedHeader] = "true";
            LogReplayed(logger, clientId, stored.Id);
        }
        else
        {
            LogAccepted(logger, clientId, stored.Id, stored.Reference, stored.Right);
        }

        return TypedResults.Accepted(
            new Uri($"{BasePath}/{stored.Id}", UriKind.Relative),
            new ClientRequestAccepted(
                stored.Id,
                stored.Reference,
                Requests.RequestApi.ReceivedStatus,
                // As PostgreSQL keeps it (microseconds), so a replay answers with the same body.
                new DateTimeOffset(stored.ReceivedAt.UtcTicks - (stored.ReceivedAt.UtcTicks % 10), TimeSpan.Zero),
                stored.DueOn));
    }

    public static async Task<Results<Ok<ClientRequestStatus>, ProblemHttpResult>> GetAsync(
        Guid id,
        HttpContext http,
        IntakeDbContext db,
        StatutoryDeadlines deadlines,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(db);
        ArgumentNullException.ThrowIfNull(deadlines);
        var clientId = ClientApiKeyHandler.ClientIdOf(http.User);
        var request = await db.Requests.AsNoTracking()
            .Where(r => r.Id == id && r.ClientId == clientId)
            .Select(r => new { r.Reference, r.ReceivedAt })
            .SingleOrDefaultAsync(cancellationToken);
        if (request is null)
        {
            return TypedResults.Problem(
                statusCode: StatusCodes.Status404NotFound,
                title: "Request not found",
                detail: "There is no request with this id from this client.");
        }

        var status = await db.CaseStatuses.AsNoTracking().SingleOrDefaultAsync(s => s.CaseId == id, cancellationToken);
        return TypedResults.Ok(status is null
            ? new ClientRequestStatus(id, request.Reference, Requests.RequestApi.ReceivedStatus, request.ReceivedAt, deadlines.For(request.ReceivedAt).DueOn, false, [], 0)
            : new ClientRequestStatus(
                id,
                request.Reference,
                StatusName(status.State),
                request.ReceivedAt,
                status.DueOn,
                status.Extended,
                status.Stores.Select(s => new ClientStoreStatus(s.StoreId, StatusName(s.Status))).ToList(),
                status.Version));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Accepted request {CaseId} ({Reference}) for {Right} from client {ClientId}")]
    private static partial void LogAccepted(ILogger logger, string clientId, Guid caseId, string reference, DataSubjectRight right);

    [LoggerMessage(Level = LogLevel.Information, Message = "Client {ClientId} retried request {CaseId}; answered with the stored one")]
    private static partial void LogReplayed(ILogger logger, string clientId, Guid caseId);
}

/// <summary>The answer to a forwarded request, the same for every retry with its Idempotency-Key.</summary>
public sealed record ClientRequestAccepted(Guid Id, string Reference, string Status, DateTimeOffset ReceivedAt, DateOnly DueOn);

/// <summary>A forwarded request's status; <see cref="Version"/> is the one callbacks carry (0 before the case opened).</summary>
public sealed record ClientRequestStatus(
    Guid Id,
    string Reference,
    string Status,
    DateTimeOffset ReceivedAt,
    DateOnly DueOn,
    bool Extended,
    IReadOnlyList<ClientStoreStatus> Stores,
    int Version);
