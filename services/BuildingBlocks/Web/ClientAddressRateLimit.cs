using System.Net;
using System.Net.Sockets;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Http;

namespace Closely.BuildingBlocks.Web;

/// <summary>
/// The platform's one limit per client IP address: a fixed window of permits, nothing queued. Each rate limiter
/// policy keeps partitions of its own, so an address is counted apart per policy. The address is the client's as the
/// forwarded headers of configured proxies give it (<see cref="WebSecurity"/>); an IPv6 client is counted by its /64,
/// the block one subscriber usually holds whole, so that it cannot take a fresh address for every request.
/// </summary>
public static class ClientAddressRateLimit
{
    public static RateLimitPartition<string> FixedWindow(HttpContext http, int permits, TimeSpan window)
    {
        ArgumentNullException.ThrowIfNull(http);
        return RateLimitPartition.GetFixedWindowLimiter(
            PartitionKey(http.Connection.RemoteIpAddress),
            _ => new FixedWindowRateLimiterOptions { PermitLimit = permits, Window = window, QueueLimit = 0 });
    }

    /// <summary>An IPv4 address as it is (also when mapped into IPv6); an IPv6 address as its /64 network.</summary>
    public static string PartitionKey(IPAddress? address)
    {
        if (address is null)
        {
            return "unknown";
        }

        if (address.IsIPv4MappedToIPv6)
        {
            return address.MapToIPv4().ToString();
        }

        if (address.AddressFamily != AddressFamily.InterNetworkV6)
        {
            return address.ToString();
        }

        var bytes = address.GetAddressBytes();
        Array.Clear(bytes, 8, 8);
        return new IPAddress(bytes) + "/64";
    }

    public static RateLimitPartition<string> PerMinute(HttpContext http, int permits) => FixedWindow(http, permits, TimeSpan.FromMinutes(1));

    /// <summary>Only what is posted counts (a form sent, a sign-in); reading pages is never limited.</summary>
    public static RateLimitPartition<string> PostsPerMinute(HttpContext http, int permits)
    {
        ArgumentNullException.ThrowIfNull(http);
        return HttpMethods.IsPost(http.Request.Method) ? PerMinute(http, permits) : RateLimitPartition.GetNoLimiter("reading");
    }
}
