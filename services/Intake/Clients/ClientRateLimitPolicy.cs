using System.Globalization;
using System.Security.Claims;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Options;

namespace Closely.Intake.Clients;

/// <summary>
/// A fixed window of <see cref="ClientApiOptions.ClientRateLimitOptions.PermitsPerMinute"/> calls per client.
/// The client is known here because the client routes' authorization policy has authenticated the
/// request before the rate limiter runs.
/// </summary>
public sealed class ClientRateLimitPolicy(IOptions<ClientApiOptions> options) : IRateLimiterPolicy<string>
{
    private static readonly TimeSpan Window = TimeSpan.FromMinutes(1);

    public Func<OnRejectedContext, CancellationToken, ValueTask>? OnRejected { get; } = async (context, _) =>
    {
        var http = context.HttpContext;
        http.Response.StatusCode = StatusCodes.Status429TooManyRequests;
        http.Response.Headers.RetryAfter = ((int)Window.TotalSeconds).ToString(CultureInfo.InvariantCulture);
        await http.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = http,
            ProblemDetails =
            {
                Status = StatusCodes.Status429TooManyRequests,
                Title = "Too many requests",
                Detail = "This client has made too many calls; try again in a minute.",
            },
        });
    };

    public RateLimitPartition<string> GetPartition(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        var client = httpContext.User.FindFirstValue(ClientApiKeyHandler.ClientIdClaim) ?? "";
        var permits = options.Value.ClientRateLimit.PermitsPerMinute;
        return RateLimitPartition.GetFixedWindowLimiter(
            client,
            _ => new FixedWindowRateLimiterOptions { PermitLimit = permits, Window = Window, QueueLimit = 0 });
    }
}
