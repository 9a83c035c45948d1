using System.Net;
using System.Net.Sockets;

namespace B2BTrade.Fault.Tests.Infrastructure;

/// <summary>Hands out TCP ports nothing listens on, never the same one twice in a test run.</summary>
internal static class FreePorts
{
    private static readonly HashSet<int> s_given = [];
    private static readonly Lock s_gate = new();

    public static int Next()
    {
        lock (s_gate)
        {
            while (true)
            {
                var listener = new TcpListener(IPAddress.Loopback, 0);
                listener.Start();
                var port = ((IPEndPoint)listener.LocalEndpoint).Port;
                listener.Stop();
                if (s_given.Add(port))
                {
                    return port;
                }
            }
        }
    }
}
