using System.Buffers;
using System.Runtime.CompilerServices;

namespace Kindling.Cluster;

/// <summary>
/// Splits a stream of newline-delimited JSON (a watch response) into lines without decoding them to strings:
/// each line is handed out as bytes of one pooled buffer, valid until the next line is asked for.
/// </summary>
internal static class JsonLines
{
    private const int InitialBuffer = 64 * 1024;

    public static async IAsyncEnumerable<ReadOnlyMemory<byte>> ReadAsync(Stream stream, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var buffer = ArrayPool<byte>.Shared.Rent(InitialBuffer);
        int start = 0, end = 0, scanned = 0;
        try
        {
            while (true)
            {
                int newline;
                while ((newline = buffer.AsSpan(scanned, end - scanned).IndexOf((byte)'\n')) >= 0)
                {
                    var line = buffer.AsMemory(start, scanned + newline - start);
                    start = scanned = scanned + newline + 1;
                    if (!IsBlank(line.Span)) yield return line;
                }
                scanned = end;
                if (start > 0)
                {
                    // Keep the unfinished line at the front, so the buffer only grows for a line longer than it.
                    buffer.AsSpan(start, end - start).CopyTo(buffer);
                    end -= start;
                    scanned -= start;
                    start = 0;
                }
                if (end == buffer.Length)
                {
                    var larger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                    buffer.AsSpan(0, end).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }
                var read = await stream.ReadAsync(buffer.AsMemory(end), cancellationToken).ConfigureAwait(false);
                if (read == 0)
                {
                    // A stream cut mid-line ends with the partial line, which the caller sees as unreadable JSON.
                    if (end > start && !IsBlank(buffer.AsSpan(start, end - start))) yield return buffer.AsMemory(start, end - start);
                    yield break;
                }
                end += read;
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    private static bool IsBlank(ReadOnlySpan<byte> line) => line.Trim(" \r\t"u8).IsEmpty;
}
