using System.Collections.Concurrent;
using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace Closely.IntegrationTests.Intake;

/// <summary>A client's callback endpoint: a real HTTP server on a loopback port that records every call.</summary>
public sealed class ClientCallbackReceiver : IAsyncDisposable
{
    private readonly WebApplication _app;
    private int _refusalsLeft;
    private int _redirects;

    private ClientCallbackReceiver(WebApplication app, int refuseFirst)
    {
        _app = app;
        _refusalsLeft = refuseFirst;
    }

    /// <summary>Starts the receiver; it answers 500 to the first <paramref name="refuseFirst"/> calls, 204 to the rest.</summary>
    public static async Task<ClientCallbackReceiver> StartAsync(int refuseFirst = 0)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(options => options.Listen(IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var receiver = new ClientCallbackReceiver(app, refuseFirst);
        app.MapPost("/callbacks", receiver.ReceiveAsync);
        app.MapPost("/redirect", () =>
        {
            Interlocked.Increment(ref receiver._redirects);
            return Results.Redirect("/callbacks", permanent: false, preserveMethod: true);
        });
        await app.StartAsync();
        return receiver;
    }

    public Uri Url => new(new Uri(_app.Urls.First()), "/callbacks");

    /// <summary>An endpoint that answers every call with a 307 redirect to <see cref="Url"/>.</summary>
    public Uri RedirectUrl => new(new Uri(_app.Urls.First()), "/redirect");

    /// <summary>How many calls <see cref="RedirectUrl"/> redirected.</summary>
    public int Redirects => Volatile.Read(ref _redirects);

    /// <summary>Every call, refused ones included, in order of arrival.</summary>
    public ConcurrentQueue<ReceivedCallback> Calls { get; } = new();

    /// <summary>The calls answered 204.</summary>
    public IEnumerable<ReceivedCallback> Accepted => Calls.Where(c => c.Accepted);

    private async Task<IResult> ReceiveAsync(HttpRequest request)
    {
        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer);
        var accepted = Interlocked.Decrement(ref _refusalsLeft) < 0;
        Calls.Enqueue(new ReceivedCallback(
            buffer.ToArray(),
            request.Headers["X-Closely-Timestamp"].ToString(),
            request.Headers["X-Closely-Signature"].ToString(),
            request.ContentType,
            accepted));
        return accepted ? Results.NoContent() : Results.StatusCode(StatusCodes.Status500InternalServerError);
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}

public sealed record ReceivedCallback(byte[] Body, string Timestamp, string Signature, string? ContentType, bool Accepted);
