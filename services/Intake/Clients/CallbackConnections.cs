using System.Net;
using System.Net.Sockets;

namespace Closely.Intake.Clients;

/// <summary>
/// How callbacks reach a client (ADR 34): redirects are not followed, and unless
/// <c>Intake:ClientCallbacks:AllowPrivateNetworks</c> (Development only) the host's every address is resolved and
/// checked before connecting — a loopback, private, link-local, shared, multicast or reserved one refuses the
/// call — and the connection goes to the addresses checked, so a second DNS answer cannot swap one in.
/// </summary>
public static class CallbackConnections
{
    private static readonly IPNetwork[] NotPublic =
    [
        IPNetwork.Parse("0.0.0.0/8"),
        IPNetwork.Parse("10.0.0.0/8"),
        IPNetwork.Parse("100.64.0.0/10"),
        IPNetwork.Parse("127.0.0.0/8"),
        IPNetwork.Parse("169.254.0.0/16"),
        IPNetwork.Parse("172.16.0.0/12"),
        IPNetwork.Parse("192.0.0.0/24"),
        IPNetwork.Parse("192.168.0.0/16"),
        IPNetwork.Parse("198.18.0.0/15"),
        IPNetwork.Parse("224.0.0.0/3"),
        IPNetwork.Parse("::/127"),
        IPNetwork.Parse("64:ff9b::/96"),
        IPNetwork.Parse("fc00::/7"),
        IPNetwork.Parse("fe80::/10"),
        IPNetwork.Parse("fec0::/10"),
        IPNetwork.Parse("ff00::/8"),
    ];

    public static SocketsHttpHandler Handler(bool allowPrivateNetworks) => new()
    {
        AllowAutoRedirect = false,
        UseCookies = false,
        ConnectCallback = (context, cancellationToken) => ConnectAsync(context.DnsEndPoint, allowPrivateNetworks, cancellationToken),
    };

    /// <summary>Whether a client's callback may not go to <paramref name="address"/>: anything but a public unicast address.</summary>
    public static bool IsNotPublic(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        var plain = address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
        return NotPublic.Any(network => network.BaseAddress.AddressFamily == plain.AddressFamily && network.Contains(plain));
    }

    private static async ValueTask<Stream> ConnectAsync(DnsEndPoint endpoint, bool allowPrivateNetworks, CancellationToken cancellationToken)
    {
        var addresses = IPAddress.TryParse(endpoint.Host, out var literal)
            ? [literal]
            : await Dns.GetHostAddressesAsync(endpoint.Host, cancellationToken);
        if (!allowPrivateNetworks && addresses.FirstOrDefault(IsNotPublic) is { } refused)
        {
            throw new CallbackAddressRefusedException($"The callback host resolves to {refused}, which is not a public address.");
        }

        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(addresses, endpoint.Port, cancellationToken);
            return new NetworkStream(socket, ownsSocket: true);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}

/// <summary>A callback refused because its host is not public (<see cref="CallbackConnections"/>); retrying cannot cure it.</summary>
public sealed class CallbackAddressRefusedException : Exception
{
    public CallbackAddressRefusedException(string message)
        : base(message)
    {
    }

    public CallbackAddressRefusedException()
    {
    }

    public CallbackAddressRefusedException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
