using System.Buffers;
using System.Net.WebSockets;
using System.Text;

namespace Kindling.Cluster;

/// <summary>
/// The Kubernetes port-forward channel protocol (<c>v4.channel.k8s.io</c>) for a single forwarded port: every
/// WebSocket message starts with a channel byte, channel 0 carries the port's data and channel 1 its errors, and
/// the server's first bytes on each channel are the port number (2 bytes, little-endian), not data.
/// </summary>
internal static class PortForwardProtocol
{
    public const string Name = "v4.channel.k8s.io";

    private const byte DataChannel = 0;
    private const byte ErrorChannel = 1;
    private const int PortPrefixLength = 2;
    private const int BufferSize = 32 * 1024;

    /// <summary>Copies local bytes to the pod as data-channel messages until the local side closes.</summary>
    public static async Task SendAsync(Stream local, WebSocket socket, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize + 1);
        try
        {
            buffer[0] = DataChannel;
            while (true)
            {
                var read = await local.ReadAsync(buffer.AsMemory(1, BufferSize), cancellationToken).ConfigureAwait(false);
                if (read == 0) return;
                await socket.SendAsync(buffer.AsMemory(0, read + 1), WebSocketMessageType.Binary, endOfMessage: true, cancellationToken)
                    .ConfigureAwait(false);
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or WebSocketException or ObjectDisposedException)
        {
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>Copies the pod's data channel to the local side until the server closes; error-channel text goes to <paramref name="onError"/>.</summary>
    public static async Task ReceiveAsync(WebSocket socket, Stream local, Action<string>? onError, CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(BufferSize);
        var prefixLeft = new[] { PortPrefixLength, PortPrefixLength };
        var error = new StringBuilder();
        try
        {
            var channel = -1;
            while (true)
            {
                var result = await socket.ReceiveAsync(buffer.AsMemory(0, BufferSize), cancellationToken).ConfigureAwait(false);
                if (result.MessageType == WebSocketMessageType.Close) return;
                var payload = buffer.AsMemory(0, result.Count);
                if (channel < 0)
                {
                    // The channel byte starts a message; continuation frames of the same message carry none.
                    if (payload.Length == 0) continue;
                    channel = payload.Span[0];
                    payload = payload[1..];
                }
                if (channel is DataChannel or ErrorChannel)
                {
                    var skip = Math.Min(prefixLeft[channel], payload.Length);
                    prefixLeft[channel] -= skip;
                    payload = payload[skip..];
                    if (channel == DataChannel && payload.Length > 0)
                        await local.WriteAsync(payload, cancellationToken).ConfigureAwait(false);
                    else if (channel == ErrorChannel) error.Append(Encoding.UTF8.GetString(payload.Span));
                }
                if (result.EndOfMessage) channel = -1;
            }
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or WebSocketException or ObjectDisposedException)
        {
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
            if (error.Length > 0) onError?.Invoke(error.ToString().Trim());
        }
    }
}
