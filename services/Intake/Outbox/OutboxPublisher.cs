using System.Diagnostics;
using System.Text.Json;
using Closely.BuildingBlocks.Privacy;
using Closely.Intake.Requests;
using Closely.Contracts;
using Closely.Intake.Persistence;
using MassTransit;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Options;

namespace Closely.Intake.Outbox;

/// <summary>
/// Publishes <see cref="DsrReceived"/> from the stored requests: every interval, and right after an insert,
/// it locks a batch of unpublished rows (<c>FOR UPDATE SKIP LOCKED</c>, so instances share the work),
/// publishes each and marks it published in the same transaction. When the bus is unreachable the rows stay
/// unpublished and go out on a later pass; a repeat publication is harmless, the saga ignores it.
/// </summary>
public sealed partial class OutboxPublisher(
    IServiceScopeFactory scopes,
    OutboxSignal signal,
    IOptions<IntakeOptions> options,
    TimeProvider clock,
    ILogger<OutboxPublisher> logger) : BackgroundService
{
    private const int BatchSize = 50;
    private static readonly ActivitySource ActivitySource = new(Microsoft.Extensions.Hosting.Extensions.TelemetrySourceName);
    private static readonly TimeSpan PublishTimeout = TimeSpan.FromSeconds(5);

    /// <summary>Publishes one batch of unpublished requests; returns how many were published.</summary>
    public async Task<int> PublishBatchAsync(CancellationToken cancellationToken)
    {
        await using var scope = scopes.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<IntakeDbContext>();
        var publisher = scope.ServiceProvider.GetRequiredService<IPublishEndpoint>();

        var strategy = db.Database.CreateExecutionStrategy();
        return await strategy.ExecuteAsync(async () =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync(cancellationToken);
            var pending = await db.Requests.FromSql($"""
                SELECT * FROM intake.requests
                WHERE published_at IS NULL
                ORDER BY received_at
                LIMIT {BatchSize}
                FOR UPDATE SKIP LOCKED
                """).Include(r => r.Attachments).ToListAsync(cancellationToken);

            // Requests that put their address on the suppression list (the opt-out, a form's objection to direct marketing).
            var ids = pending.Select(r => r.Id).ToList();
            var suppressed = (await db.Suppressions.Where(s => ids.Contains(s.CaseId)).Select(s => s.CaseId).ToListAsync(cancellationToken)).ToHashSet();
            var published = new List<IntakeRequest>();
            try
            {
                foreach (var request in pending)
                {
                    using var timeout = new CancellationTokenSource(PublishTimeout, clock);
                    using var linked = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, cancellationToken);
                    // The case's trace continues from the request that brought it in.
                    using var activity = ActivitySource.StartActivity("intake publish", ActivityKind.Producer, request.TraceParent);
                    if (request.Channel == IntakeChannel.OptOut || suppressed.Contains(request.Id))
                    {
                        await publisher.Publish(Objected(request), linked.Token);
                    }

                    await publisher.Publish(Received(request, db.Protector), linked.Token);
                    published.Add(request);
                    LogPublished(request.Id, request.Reference);
                }
            }
            catch (Exception exception) when (!cancellationToken.IsCancellationRequested)
            {
                // What went out is marked below; the rest waits for the next pass.
                LogPublishFailed(exception, pending.Count - published.Count);
            }

            var now = clock.GetUtcNow();
            foreach (var request in published)
            {
                request.PublishedAt = now;
            }

            await db.SaveChangesAsync(cancellationToken);
            await transaction.CommitAsync(cancellationToken);
            return published.Count;
        });
    }

    private DsrReceived Received(IntakeRequest request, PersonalDataProtector protector)
    {
        var authority = request.Attachments.FirstOrDefault(a => a.Kind == AttachmentKind.Authority);
        return new DsrReceived
        {
            CaseId = request.Id,
            Reference = request.Reference,
            Right = request.Right,
            Channel = request.Channel,
            ReceivedAt = request.ReceivedAt,
            // Personal data travels sealed, bound to the case and the field: never in clear on the bus (ADR 29, ADR 38).
            SealedRequesterEmail = BusSeal.Seal(protector, request.Id, BusSeal.RequesterEmail, request.Email),
            NeedsTriage = request.NeedsTriage,
            ClassificationConfidence = request.ClassificationConfidence,
            SealedAgentEmail = BusSeal.SealOptional(protector, request.Id, BusSeal.AgentEmail, request.AgentEmail),
            SealedAgentAuthority = authority is null ? null : BusSeal.SealJson(protector, request.Id, BusSeal.AgentAuthority, new DocumentAttachment
            {
                FileName = authority.FileName,
                ContentType = authority.ContentType,
                Content = authority.Content,
            }),
            SealedDetails = BusSeal.SealOptional(protector, request.Id, BusSeal.Details, request.Details),
            RestrictionGround = request.RestrictionGround,
            SealedCorrections = request.Corrections is null
                ? null
                : SealedCorrections.Seal(protector, request.Id, SealedCorrections.Requested,
                    JsonSerializer.Deserialize<List<FieldCorrection>>(request.Corrections, JsonSerializerOptions.Web) ?? []),
            ClientId = request.ClientId,
            Language = request.Language,
            SealedStatusUrl = request.StatusToken is null
                ? null
                : BusSeal.Seal(protector, request.Id, BusSeal.StatusUrl,
                    RequestTokens.StatusUrl(options.Value.PublicBaseUrl, request.Id, request.StatusToken, request.Language).OriginalString),
        };
    }

    private SubjectObjected Objected(IntakeRequest request) => new()
    {
        CaseId = request.Id,
        Scope = RequestStore.DirectMarketingScope,
        Subject = [HashedIdentifier.Email(request.Email)],
        ObjectedAt = request.ReceivedAt,
    };

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                while (await PublishBatchAsync(stoppingToken) == BatchSize)
                {
                    // A full batch: more may be waiting.
                }
            }
            catch (Exception exception) when (exception is not OperationCanceledException)
            {
                LogPassFailed(exception);
            }

            await signal.WaitAsync(options.Value.OutboxInterval, clock, stoppingToken);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Published DsrReceived for case {CaseId} ({Reference})")]
    private partial void LogPublished(Guid caseId, string reference);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Publishing to the bus failed; {Remaining} requests stay unpublished until the next pass")]
    private partial void LogPublishFailed(Exception exception, int remaining);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Outbox pass failed; retrying on the next pass")]
    private partial void LogPassFailed(Exception exception);
}
