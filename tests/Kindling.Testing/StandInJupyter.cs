using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Kindling.Testing;

/// <summary>A tiny HTTP/1.1 server on loopback standing in for Jupyter behind the pod's port: answers every request with <c>jupyter saw METHOD PATH</c>.</summary>
public sealed class StandInJupyter : IDisposable
{
    private readonly TcpListener listener = new(IPAddress.Loopback, 0);
    private int requests;
    private readonly CancellationTokenSource stopping = new();

    public StandInJupyter()
    {
        listener.Start();
        _ = AcceptAsync();
    }

    public IPEndPoint EndPoint => (IPEndPoint)listener.LocalEndpoint;

    /// <summary>How many requests were answered.</summary>
    public int Requests => Volatile.Read(ref requests);

    private async Task AcceptAsync()
    {
        try
        {
            while (true)
            {
                var client = await listener.AcceptTcpClientAsync(stopping.Token);
                _ = ServeAsync(client);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }
    }

    private async Task ServeAsync(TcpClient client)
    {
        using (client)
        {
            try
            {
                var stream = client.GetStream();
                using var reader = new StreamReader(stream, Encoding.ASCII, leaveOpen: true);
                // Keep-alive: answer every request on this connection until the client closes it.
                while (await reader.ReadLineAsync(stopping.Token) is { } requestLine)
                {
                    while (await reader.ReadLineAsync(stopping.Token) is { Length: > 0 })
                    {
                    }
                    var parts = requestLine.Split(' ');
                    Interlocked.Increment(ref requests);
                    var body = Encoding.UTF8.GetBytes($"jupyter saw {parts[0]} {parts[1]}");
                    var head = Encoding.ASCII.GetBytes($"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: {body.Length}\r\n\r\n");
                    await stream.WriteAsync(head, stopping.Token);
                    await stream.WriteAsync(body, stopping.Token);
                }
            }
            catch (Exception e) when (e is OperationCanceledException or IOException or SocketException or ObjectDisposedException)
            {
            }
        }
    }

    public void Dispose()
    {
        stopping.Cancel();
        listener.Stop();
        stopping.Dispose();
    }
}
