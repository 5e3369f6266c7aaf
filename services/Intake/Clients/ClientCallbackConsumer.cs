using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using Closely.BuildingBlocks.Messaging;
using Closely.Contracts;
using Closely.Intake.Persistence;
using MassTransit;
using Microsoft.EntityFrameworkCore;

namespace Closely.Intake.Clients;

/// <summary>
/// Calls a client back after every change of a case it sent through the client API (see
/// <see cref="ClientCallback"/> for the contract). Requests from other channels, and clients without a
/// callback URL, are skipped. A failed call throws, so the bus retries it with back-off; after the last
/// retry the message waits in the <c>client-callback_error</c> queue. A redirect is a failed call (never followed),
/// and a URL that leads to no public address goes to the error queue at once (<see cref="CallbackConnections"/>).
/// </summary>
public sealed partial class ClientCallbackConsumer(
    IntakeDbContext db,
    ClientDirectory clients,
    IHttpClientFactory httpClients,
    TimeProvider clock,
    ILogger<ClientCallbackConsumer> logger)
    : IConsumer<CaseStatusChanged>
{
    public const string HttpClientName = "client-callbacks";

    public async Task Consume(ConsumeContext<CaseStatusChanged> context)
    {
        ArgumentNullException.ThrowIfNull(context);
        var message = context.Message;
        var request = await db.Requests.AsNoTracking()
            .Where(r => r.Id == message.CaseId)
            .Select(r => new { r.ClientId, r.Reference })
            .SingleOrDefaultAsync(context.CancellationToken);
        if (request?.ClientId is null)
        {
            return;
        }

        var client = clients.Find(request.ClientId);
        if (client?.CallbackUrl is null || client.CallbackSecret is null)
        {
            LogNoCallback(message.CaseId, request.ClientId);
            return;
        }

        var body = JsonSerializer.SerializeToUtf8Bytes(
            new ClientCallback(
                ClientCallback.StatusChanged,
                message.CaseId,
                request.Reference,
                ClientApi.StatusName(message.State),
                message.DueOn,
                message.Extended,
                message.Stores.Select(s => new ClientStoreStatus(s.StoreId, ClientApi.StatusName(s.Status))).ToList(),
                message.Version),
            JsonSerializerOptions.Web);
        var timestamp = clock.GetUtcNow().ToUnixTimeSeconds();
        using var call = new HttpRequestMessage(HttpMethod.Post, client.CallbackUrl)
        {
            Content = new ByteArrayContent(body) { Headers = { ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" } } },
        };
        call.Headers.Add(CallbackSignature.TimestampHeader, timestamp.ToString(CultureInfo.InvariantCulture));
        call.Headers.Add(CallbackSignature.SignatureHeader, CallbackSignature.Sign(client.CallbackSecret, timestamp, body));

        HttpResponseMessage response;
        try
        {
            response = await httpClients.CreateClient(HttpClientName).SendAsync(call, context.CancellationToken);
        }
        catch (HttpRequestException e) when (e.InnerException is CallbackAddressRefusedException refused)
        {
            LogAddressRefused(message.CaseId, client.Id);
            throw new PermanentFailureException($"The callback of client {client.Id} for case {message.CaseId} was refused: {refused.Message}", refused);
        }

        using var answered = response;
        if (!response.IsSuccessStatusCode)
        {
            LogRefused(message.CaseId, client.Id, (int)response.StatusCode);
            throw new HttpRequestException(
                $"Client {client.Id} answered the callback for case {message.CaseId} with {(int)response.StatusCode}.",
                null,
                response.StatusCode);
        }

        LogCalledBack(message.CaseId, client.Id, message.Version);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Called client {ClientId} back for case {CaseId} (version {Version})")]
    private partial void LogCalledBack(Guid caseId, string clientId, int version);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Client {ClientId} answered the callback for case {CaseId} with {StatusCode}; retrying")]
    private partial void LogRefused(Guid caseId, string clientId, int statusCode);

    [LoggerMessage(Level = LogLevel.Error, Message = "The callback URL of client {ClientId} does not lead to a public address; case {CaseId} not called back")]
    private partial void LogAddressRefused(Guid caseId, string clientId);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Case {CaseId} of client {ClientId} changed; the client has no callback URL")]
    private partial void LogNoCallback(Guid caseId, string clientId);
}
