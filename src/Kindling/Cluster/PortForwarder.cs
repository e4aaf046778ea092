using System.Net;
using System.Net.Sockets;
using k8s;

namespace Kindling.Cluster;

/// <summary>What to forward: a local loopback port to a port of one pod.</summary>
/// <param name="Namespace">The pod's namespace.</param>
/// <param name="Pod">The pod name.</param>
/// <param name="RemotePort">The container port.</param>
/// <param name="LocalPort">The local port on 127.0.0.1; 0 lets the system choose.</param>
public sealed record PortForwardTarget(string Namespace, string Pod, int RemotePort, int LocalPort);

/// <summary>
/// <c>kubectl port-forward</c> for one pod: listens on 127.0.0.1 and tunnels every accepted connection over its
/// own port-forward WebSocket, so a browser's many parallel connections do not share (and block) one stream.
/// A broken connection closes only itself; cancellation stops the listener and every tunnel.
/// </summary>
internal sealed class PortForwarder : IAsyncDisposable
{
    private readonly KubeConnection connection;
    private readonly PortForwardTarget target;
    private readonly TcpListener listener;
    private readonly CancellationTokenSource stopping = new();
    private readonly List<Task> tunnels = [];
    private readonly Lock gate = new();

    private PortForwarder(KubeConnection connection, PortForwardTarget target, TcpListener listener)
    {
        this.connection = connection;
        this.target = target;
        this.listener = listener;
        LocalPort = ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>The bound local port.</summary>
    public int LocalPort { get; }

    /// <summary>Binds the local port; a taken port is bad input, with a free port to try instead.</summary>
    public static PortForwarder Start(KubeConnection connection, PortForwardTarget target)
    {
        var listener = new TcpListener(IPAddress.Loopback, target.LocalPort);
        try
        {
            listener.Start();
        }
        catch (SocketException e) when (e.SocketErrorCode is SocketError.AddressAlreadyInUse or SocketError.AccessDenied)
        {
            listener.Dispose();
            var free = SuggestFreePort(target.LocalPort);
            throw new InvalidInputException("--port",
                $"127.0.0.1:{target.LocalPort} is already in use by another program; try --port {free}");
        }
        return new PortForwarder(connection, target, listener);
    }

    /// <summary>Accepts and tunnels connections until cancelled, then closes everything.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, stopping.Token);
        try
        {
            while (true)
            {
                var client = await listener.AcceptTcpClientAsync(linked.Token).ConfigureAwait(false);
                var tunnel = TunnelAsync(client, linked.Token);
                lock (gate)
                {
                    tunnels.RemoveAll(t => t.IsCompleted);
                    tunnels.Add(tunnel);
                }
            }
        }
        catch (OperationCanceledException) when (linked.IsCancellationRequested)
        {
        }
        finally
        {
            listener.Stop();
            Task[] open;
            lock (gate) open = [.. tunnels];
            await Task.WhenAll(open).ConfigureAwait(false);
        }
    }

    private async Task TunnelAsync(TcpClient client, CancellationToken cancellationToken)
    {
        using (client)
        {
            try
            {
                using var socket = await connection.CallAsync($"port-forward to Pod/{target.Pod}",
                    (k, ct) => k.WebSocketNamespacedPodPortForwardAsync(target.Pod, target.Namespace, [target.RemotePort], "v4.channel.k8s.io", cancellationToken: ct),
                    cancellationToken).ConfigureAwait(false);
                using var demuxer = new StreamDemuxer(socket, StreamType.PortForward);
                demuxer.Start();

                // Channel 0 is the data channel of the first (only) requested port. Separate read and write
                // halves, because one duplex MuxedStream stops delivering after the first exchange.
                await using var fromPod = demuxer.GetStream((byte?)0, null);
                await using var toPod = demuxer.GetStream(null, (byte?)0);
                var local = client.GetStream();
                using var done = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                var up = CopyAsync(local, toPod, done.Token);
                var down = CopyAsync(fromPod, local, done.Token);
                await Task.WhenAny(up, down).ConfigureAwait(false);
                await done.CancelAsync().ConfigureAwait(false);
                await Task.WhenAll(up, down).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or IOException or SocketException or KindlingException
                                          or System.Net.WebSockets.WebSocketException or ObjectDisposedException)
            {
                // This connection is over (closed by either side, pod gone, or shutdown); the listener keeps serving.
            }
        }
    }

    private static async Task CopyAsync(Stream from, Stream to, CancellationToken cancellationToken)
    {
        try
        {
            await from.CopyToAsync(to, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or SocketException or ObjectDisposedException
                                      or System.Net.WebSockets.WebSocketException)
        {
        }
    }

    /// <summary>The next free port above <paramref name="taken"/>, or any free port.</summary>
    internal static int SuggestFreePort(int taken)
    {
        for (var port = taken + 1; port <= Math.Min(taken + 20, IPEndPoint.MaxPort); port++)
        {
            try
            {
                using var probe = new TcpListener(IPAddress.Loopback, port);
                probe.Start();
                return port;
            }
            catch (SocketException)
            {
            }
        }
        using var any = new TcpListener(IPAddress.Loopback, 0);
        any.Start();
        return ((IPEndPoint)any.LocalEndpoint).Port;
    }

    /// <inheritdoc />
    public async ValueTask DisposeAsync()
    {
        await stopping.CancelAsync().ConfigureAwait(false);
        listener.Stop();
        stopping.Dispose();
    }
}
