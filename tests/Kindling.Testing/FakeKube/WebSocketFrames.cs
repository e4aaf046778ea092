using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace Kindling.Testing.FakeKube;

/// <summary>
/// Minimal RFC 6455 server-side framing. The fake frames port-forward traffic itself because the channel
/// protocol is per frame: KubernetesClient's StreamDemuxer sends every write as its own (non-final) frame that
/// starts with the channel byte, and a message-level WebSocket API does not expose frame boundaries.
/// </summary>
internal sealed class WebSocketFrames
{
    public const byte Continuation = 0x0, Text = 0x1, Binary = 0x2, Close = 0x8, Ping = 0x9, Pong = 0xA;

    private readonly Stream _stream;
    private readonly SemaphoreSlim _writeLock = new(1, 1);

    public WebSocketFrames(Stream stream) => _stream = stream;

    public static string AcceptKey(string key) =>
        Convert.ToBase64String(SHA1.HashData(Encoding.ASCII.GetBytes(key.Trim() + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11")));

    /// <summary>Reads one frame; null at end of stream.</summary>
    public async Task<(byte Opcode, byte[] Payload)?> ReadAsync(CancellationToken cancellationToken)
    {
        var header = new byte[2];
        if (!await FillAsync(header, cancellationToken))
        {
            return null;
        }

        var opcode = (byte)(header[0] & 0x0F);
        var masked = (header[1] & 0x80) != 0;
        long length = header[1] & 0x7F;
        if (length == 126)
        {
            var ext = new byte[2];
            if (!await FillAsync(ext, cancellationToken))
            {
                return null;
            }

            length = BinaryPrimitives.ReadUInt16BigEndian(ext);
        }
        else if (length == 127)
        {
            var ext = new byte[8];
            if (!await FillAsync(ext, cancellationToken))
            {
                return null;
            }

            length = (long)BinaryPrimitives.ReadUInt64BigEndian(ext);
        }

        var mask = new byte[4];
        if (masked && !await FillAsync(mask, cancellationToken))
        {
            return null;
        }

        var payload = new byte[length];
        if (!await FillAsync(payload, cancellationToken))
        {
            return null;
        }

        if (masked)
        {
            for (var i = 0; i < payload.Length; i++)
            {
                payload[i] ^= mask[i % 4];
            }
        }

        return (opcode, payload);
    }

    public async Task WriteAsync(byte opcode, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
    {
        var header = new byte[10];
        header[0] = (byte)(0x80 | opcode);
        int headerLength;
        if (payload.Length < 126)
        {
            header[1] = (byte)payload.Length;
            headerLength = 2;
        }
        else if (payload.Length <= ushort.MaxValue)
        {
            header[1] = 126;
            BinaryPrimitives.WriteUInt16BigEndian(header.AsSpan(2), (ushort)payload.Length);
            headerLength = 4;
        }
        else
        {
            header[1] = 127;
            BinaryPrimitives.WriteUInt64BigEndian(header.AsSpan(2), (ulong)payload.Length);
            headerLength = 10;
        }

        await _writeLock.WaitAsync(cancellationToken);
        try
        {
            await _stream.WriteAsync(header.AsMemory(0, headerLength), cancellationToken);
            await _stream.WriteAsync(payload, cancellationToken);
            await _stream.FlushAsync(cancellationToken);
        }
        finally
        {
            _writeLock.Release();
        }
    }

    public Task WriteCloseAsync(ushort code, CancellationToken cancellationToken)
    {
        var payload = new byte[2];
        BinaryPrimitives.WriteUInt16BigEndian(payload, code);
        return WriteAsync(Close, payload, cancellationToken);
    }

    private async Task<bool> FillAsync(byte[] buffer, CancellationToken cancellationToken)
    {
        var read = 0;
        while (read < buffer.Length)
        {
            var n = await _stream.ReadAsync(buffer.AsMemory(read), cancellationToken);
            if (n == 0)
            {
                return false;
            }

            read += n;
        }

        return true;
    }
}
