using System.Net;
using System.Net.Sockets;

namespace Closely.ServiceProcesses;

public static class LoopbackPorts
{
    /// <summary>A loopback port nothing listens on now.</summary>
    public static int Free()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
