using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace Kindling.Testing.FakeKube;

/// <summary>Which local endpoint stands in for a pod's port.</summary>
public sealed class PortForwardMap
{
    private readonly ConcurrentDictionary<(string Ns, string Pod, int Port), EndPoint> _backends = new();
    private readonly ConcurrentDictionary<int, EndPoint> _anyPod = new();
    private int _sessions;

    /// <summary>Forwarded connections to <paramref name="pod"/>:<paramref name="port"/> open a TCP connection to <paramref name="backend"/>.</summary>
    public void Map(string ns, string pod, int port, EndPoint backend) => _backends[(ns, pod, port)] = backend;

    /// <summary>
    /// Every Running pod without its own mapping serves <paramref name="port"/> from <paramref name="backend"/>: for
    /// pods whose names are not known in advance (a Deployment's restarted pod). A port with no mapping at all is
    /// refused, as the kubelet refuses a port nothing listens on; a mapped backend that is not listening is refused too.
    /// </summary>
    public void MapAnyPod(int port, EndPoint backend) => _anyPod[port] = backend;

    /// <summary>How many port-forward WebSocket sessions were accepted.</summary>
    public int Sessions => Volatile.Read(ref _sessions);

    internal EndPoint? Find(string ns, string pod, int port) => _backends.GetValueOrDefault((ns, pod, port)) ?? _anyPod.GetValueOrDefault(port);

    internal void CountSession() => Interlocked.Increment(ref _sessions);
}

/// <summary>
/// <c>pods/{name}/portforward</c> over WebSocket, channel protocol v4: for the i-th requested port, channel 2i
/// carries data and 2i+1 errors; the server's first frame on each channel is the port as 2 little-endian bytes.
/// Each session dials the mapped backend once per port and pumps bytes both ways.
/// </summary>
internal static class PortForwardHandler
{
    private static readonly string[] Protocols = ["v4.channel.k8s.io", "v3.channel.k8s.io", "v2.channel.k8s.io", "channel.k8s.io"];

    public static async Task HandleAsync(HttpContext context, FakeKubeServer server, RequestInfo info)
    {
        var ns = info.Namespace ?? throw new ApiException(404, "NotFound", "the server could not find the requested resource");
        var pod = server.Api.Get(ResourceCatalog.Pods, ns, info.Name!);
        var phase = Json.Str(pod["status"], "phase");
        if (phase != "Running")
        {
            throw ApiException.BadRequest($"unable to upgrade connection: pod is not running - current status={phase}");
        }

        var ports = context.Request.Query["ports"].SelectMany(p => (p ?? "").Split(','))
            .Select(p => int.TryParse(p, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : -1).ToList();
        if (ports.Count == 0 || ports.Any(p => p is <= 0 or > 65535))
        {
            throw ApiException.BadRequest("query parameter \"port\" is required");
        }

        var upgrade = context.Features.Get<IHttpUpgradeFeature>();
        var key = context.Request.Headers["Sec-WebSocket-Key"].ToString();
        if (upgrade is not { IsUpgradableRequest: true } || key.Length == 0)
        {
            throw ApiException.BadRequest("Upgrade request required");
        }

        var requested = context.Request.Headers["Sec-WebSocket-Protocol"].SelectMany(v => (v ?? "").Split(',', StringSplitOptions.TrimEntries)).ToList();
        var protocol = Protocols.FirstOrDefault(requested.Contains);
        context.Response.Headers.Connection = "Upgrade";
        context.Response.Headers.Upgrade = "websocket";
        context.Response.Headers["Sec-WebSocket-Accept"] = WebSocketFrames.AcceptKey(key);
        if (protocol is not null)
        {
            context.Response.Headers["Sec-WebSocket-Protocol"] = protocol;
        }

        var stream = await upgrade.UpgradeAsync();
        server.PortForward.CountSession();
        using var session = CancellationTokenSource.CreateLinkedTokenSource(server.Stopping);
        var frames = new WebSocketFrames(stream);
        var sockets = new Socket?[ports.Count];
        try
        {
            for (var i = 0; i < ports.Count; i++)
            {
                var portBytes = new byte[3];
                BinaryPrimitives.WriteUInt16LittleEndian(portBytes.AsSpan(1), (ushort)ports[i]);
                portBytes[0] = (byte)(2 * i);
                await frames.WriteAsync(WebSocketFrames.Binary, portBytes, session.Token);
                portBytes[0] = (byte)(2 * i + 1);
                await frames.WriteAsync(WebSocketFrames.Binary, portBytes, session.Token);
                sockets[i] = await DialAsync(server, ns, info.Name!, ports[i], i, frames, session.Token);
            }

            var pumps = sockets.Select((s, i) => s is null ? Task.CompletedTask : PumpToClientAsync(s, i, frames, session.Token)).ToList();
            var fromClient = PumpFromClientAsync(frames, sockets, session.Token);
            var first = await Task.WhenAny(pumps.Append(fromClient).Where(t => !t.IsCompleted).DefaultIfEmpty(fromClient));
            await first;
            await session.CancelAsync();
            await frames.WriteCloseAsync(1000, CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(1));
        }
        catch (Exception e) when (e is IOException or OperationCanceledException or SocketException or TimeoutException or ObjectDisposedException)
        {
            // The client or the backend went away; the session is over either way.
        }
        finally
        {
            foreach (var s in sockets)
            {
                s?.Dispose();
            }

            await stream.DisposeAsync();
        }
    }

    private static async Task<Socket?> DialAsync(FakeKubeServer server, string ns, string pod, int port, int index, WebSocketFrames frames, CancellationToken cancellationToken)
    {
        var backend = server.PortForward.Find(ns, pod, port);
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(backend ?? throw new SocketException((int)SocketError.ConnectionRefused), cancellationToken);
            return socket;
        }
        catch (SocketException)
        {
            socket.Dispose();
            var message = $"error forwarding port {port} to pod {pod}, uid : failed to connect to localhost:{port} inside namespace: connection refused";
            var payload = new byte[] { (byte)(2 * index + 1) }.Concat(Encoding.UTF8.GetBytes(message)).ToArray();
            await frames.WriteAsync(WebSocketFrames.Binary, payload, cancellationToken);
            return null;
        }
    }

    private static async Task PumpToClientAsync(Socket socket, int index, WebSocketFrames frames, CancellationToken cancellationToken)
    {
        var buffer = new byte[64 * 1024];
        while (true)
        {
            var n = await socket.ReceiveAsync(buffer.AsMemory(1), cancellationToken);
            if (n == 0)
            {
                return;
            }

            buffer[0] = (byte)(2 * index);
            await frames.WriteAsync(WebSocketFrames.Binary, buffer.AsMemory(0, n + 1), cancellationToken);
        }
    }

    private static async Task PumpFromClientAsync(WebSocketFrames frames, Socket?[] sockets, CancellationToken cancellationToken)
    {
        while (await frames.ReadAsync(cancellationToken) is { } frame)
        {
            switch (frame.Opcode)
            {
                case WebSocketFrames.Close:
                    return;
                case WebSocketFrames.Ping:
                    await frames.WriteAsync(WebSocketFrames.Pong, frame.Payload, cancellationToken);
                    break;
                case WebSocketFrames.Binary or WebSocketFrames.Continuation or WebSocketFrames.Text when frame.Payload.Length > 1:
                    var channel = frame.Payload[0];
                    if (channel % 2 == 0 && channel / 2 < sockets.Length && sockets[channel / 2] is { } socket)
                    {
                        await socket.SendAsync(frame.Payload.AsMemory(1), cancellationToken);
                    }

                    break;
            }
        }
    }
}
