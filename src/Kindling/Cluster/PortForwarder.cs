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
/// <remarks>
/// The tunnel speaks the channel protocol itself (<see cref="PortForwardProtocol"/>) rather than through
/// StreamDemuxer: a demuxed stream's read blocks a thread without observing cancellation, and after the
/// browser closes a connection first that read could stay blocked for good, leaking a thread per connection
/// and hanging shutdown.
/// </remarks>
internal sealed class PortForwarder : IAsyncDisposable
{
    private readonly KubeConnection connection;
    private readonly PortForwardTarget target;
    private readonly TcpListener listener;
    private readonly CancellationTokenSource stopping = new();
    private readonly List<Task> tunnels = [];
    private readonly Lock gate = new();
    private readonly Action<string>? onError;

    private PortForwarder(KubeConnection connection, PortForwardTarget target, TcpListener listener, Action<string>? onError)
    {
        this.connection = connection;
        this.target = target;
        this.listener = listener;
        this.onError = onError;
        LocalPort = ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>The bound local port.</summary>
    public int LocalPort { get; }

    /// <summary>Binds the local port; a taken port is bad input, with a free port to try instead.</summary>
    /// <param name="connection">The cluster.</param>
    /// <param name="target">Pod, ports.</param>
    /// <param name="onError">Told when one connection fails (the pod refused the port, the API dropped the stream).</param>
    public static PortForwarder Start(KubeConnection connection, PortForwardTarget target, Action<string>? onError = null)
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
        return new PortForwarder(connection, target, listener, onError);
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
                    (k, ct) => k.WebSocketNamespacedPodPortForwardAsync(target.Pod, target.Namespace, [target.RemotePort], PortForwardProtocol.Name, cancellationToken: ct),
                    cancellationToken).ConfigureAwait(false);
                using var done = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                var local = client.GetStream();
                var toPod = PortForwardProtocol.SendAsync(local, socket, done.Token);
                var fromPod = PortForwardProtocol.ReceiveAsync(socket, local, onError, done.Token);
                // Either side finishing ends the connection: the browser closed it, or the pod side did.
                await Task.WhenAny(toPod, fromPod).ConfigureAwait(false);
                await done.CancelAsync().ConfigureAwait(false);
                await Task.WhenAll(toPod, fromPod).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or IOException or SocketException or KindlingException
                                          or System.Net.WebSockets.WebSocketException or ObjectDisposedException)
            {
                if (e is KindlingException or System.Net.WebSockets.WebSocketException && !cancellationToken.IsCancellationRequested)
                    onError?.Invoke($"port-forward to Pod/{target.Pod} failed: {e.Message}");
            }
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
