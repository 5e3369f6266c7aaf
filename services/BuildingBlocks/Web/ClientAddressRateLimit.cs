using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http;

namespace Closely.BuildingBlocks.Web;

/// <summary>
/// The platform's one limit per client IP address: a fixed window of permits, nothing queued. Each rate limiter
/// policy keeps partitions of its own, so an address is counted apart per policy.
/// </summary>
public static class ClientAddressRateLimit
{
    public static RateLimitPartition<string> FixedWindow(HttpContext http, int permits, TimeSpan window)
    {
        ArgumentNullException.ThrowIfNull(http);
        return RateLimitPartition.GetFixedWindowLimiter(
            http.Connection.RemoteIpAddress?.ToString() ?? "unknown",
            _ => new FixedWindowRateLimiterOptions { PermitLimit = permits, Window = window, QueueLimit = 0 });
    }

    public static RateLimitPartition<string> PerMinute(HttpContext http, int permits) => FixedWindow(http, permits, TimeSpan.FromMinutes(1));

    /// <summary>Only what is posted counts (a form sent, a sign-in); reading pages is never limited.</summary>
    public static RateLimitPartition<string> PostsPerMinute(HttpContext http, int permits)
    {
        ArgumentNullException.ThrowIfNull(http);
        return HttpMethods.IsPost(http.Request.Method) ? PerMinute(http, permits) : RateLimitPartition.GetNoLimiter("reading");
    }
}
