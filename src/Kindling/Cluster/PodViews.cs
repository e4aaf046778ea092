using System.Runtime.CompilerServices;
using System.Text;
using System.Text.Json;
using k8s;

namespace Kindling.Cluster;

/// <summary>
/// Lists and watches pods as <see cref="PodView"/>s: the same requests the official client sends
/// (<c>GET /api/v1/namespaces/{ns}/pods</c>, with <c>watch=true</c> for the stream), read with the
/// source-generated <see cref="PodViewJsonContext"/> so that only the projected fields are ever materialised.
/// </summary>
internal static class PodViews
{
    /// <summary>A list-then-watch source of pod views for <see cref="ResilientWatch"/>.</summary>
    public static WatchSource<PodView> Source(KubeConnection connection, string ns, string? selector) => new(
        $"pods {selector} in {ns}".Replace("  ", " ", StringComparison.Ordinal),
        (_, ct) => ListAsync(connection.Http, ns, selector, ct),
        (_, version, onError, ct) => WatchAsync(connection.Http, ns, selector, version, onError, ct),
        pod => pod.Metadata?.ResourceVersion);

    /// <summary>The pods matching <paramref name="selector"/> and the list's resourceVersion.</summary>
    public static async Task<(IReadOnlyList<PodView> Items, string ResourceVersion)> ListAsync(
        KubeHttp http, string ns, string? selector, CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync(PodsUri(ns, selector, watchFrom: null), cancellationToken).ConfigureAwait(false);
        var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            var list = await JsonSerializer.DeserializeAsync(stream, PodViewJsonContext.Default.PodViewList, cancellationToken).ConfigureAwait(false);
            return ((IReadOnlyList<PodView>?)list?.Items ?? [], list?.Metadata?.ResourceVersion ?? "");
        }
    }

    /// <summary>
    /// The watch stream from <paramref name="resourceVersion"/>, one event per line as the API server writes it
    /// (apimachinery <c>watch.Event</c>: <c>{"type":..., "object":...}</c>). ERROR events (a Status, e.g. 410
    /// Expired) and unreadable lines go to <paramref name="onError"/>, as the official client's watcher does.
    /// </summary>
    public static async IAsyncEnumerable<(WatchEventType, PodView)> WatchAsync(
        KubeHttp http, string ns, string? selector, string? resourceVersion, Action<Exception> onError,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        using var response = await http.GetAsync(PodsUri(ns, selector, resourceVersion ?? ""), cancellationToken).ConfigureAwait(false);
        var stream = await response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            await foreach (var line in JsonLines.ReadAsync(stream, cancellationToken).ConfigureAwait(false))
            {
                WatchEvent parsed;
                try
                {
                    parsed = ParseEvent(line.Span);
                }
                catch (JsonException e)
                {
                    onError(e);
                    continue;
                }
                if (parsed.Status is { } status) onError(new KubernetesException(status.ToStatus()));
                else if (parsed.Type is { } type && parsed.Pod is { } pod) yield return (type, pod);
            }
        }
    }

    internal readonly record struct WatchEvent(WatchEventType? Type, PodView? Pod, StatusView? Status);

    /// <summary>
    /// One event line. The API server writes "type" before "object" (the field order of apimachinery's
    /// <c>metav1.WatchEvent</c>, pkg/apis/meta/v1/watch.go, which its JSON encoder keeps); the object is still read
    /// correctly when it comes first.
    /// </summary>
    internal static WatchEvent ParseEvent(ReadOnlySpan<byte> line)
    {
        // The usual event (a pod ADDED, MODIFIED, DELETED or a BOOKMARK, type first) is read as one typed object in
        // one pass. Reading the object through a reader positioned on it would scan the pod twice: System.Text.Json
        // first skips a value read from a reader to find its end, then reads it (JsonSerializer.Read.Utf8JsonReader.cs,
        // GetReaderScopedToNextValue), and the pod is nearly all of the line. Anything else (ERROR's Status, an
        // object before its type) takes the general path below.
        if (PodTypeFirst(line) is { } kind)
        {
            // A missing or null object is rare and answered exactly as before by the general path.
            if (JsonSerializer.Deserialize(line, PodViewJsonContext.Default.PodViewEvent)?.Object is { } pod)
                return new WatchEvent(kind, pod, null);
        }
        return ParseAnyEvent(line);
    }

    /// <summary>The event's type when it is the first property and announces a pod; null otherwise.</summary>
    private static WatchEventType? PodTypeFirst(ReadOnlySpan<byte> line)
    {
        var reader = new Utf8JsonReader(line);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) return null;
        if (!reader.Read() || reader.TokenType != JsonTokenType.PropertyName || !reader.ValueTextEquals("type"u8)) return null;
        if (!reader.Read() || reader.TokenType != JsonTokenType.String) return null;
        return reader.ValueTextEquals("MODIFIED"u8) ? WatchEventType.Modified
            : reader.ValueTextEquals("ADDED"u8) ? WatchEventType.Added
            : reader.ValueTextEquals("DELETED"u8) ? WatchEventType.Deleted
            : reader.ValueTextEquals("BOOKMARK"u8) ? WatchEventType.Bookmark
            : null;
    }

    private static WatchEvent ParseAnyEvent(ReadOnlySpan<byte> line)
    {
        var reader = new Utf8JsonReader(line);
        if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject) throw new JsonException("a watch event is not a JSON object");
        string? type = null;
        var objectAt = default(Utf8JsonReader);
        var objectSeen = false;
        WatchEvent? read = null;
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("type"u8))
            {
                reader.Read();
                type = reader.GetString();
            }
            else if (reader.ValueTextEquals("object"u8))
            {
                reader.Read();
                objectSeen = true;
                if (type is null)
                {
                    objectAt = reader;
                    reader.Skip();
                }
                else
                {
                    // Deserialize leaves the reader on the object's last token, as Skip does.
                    read = ReadObject(type, ref reader);
                }
            }
            else
            {
                reader.Read();
                reader.Skip();
            }
        }
        if (!objectSeen || type is null) throw new JsonException("a watch event without type or object");
        return read ?? ReadObject(type, ref objectAt);
    }

    private static WatchEvent ReadObject(string type, ref Utf8JsonReader reader)
    {
        if (type == "ERROR") return new WatchEvent(WatchEventType.Error, null, JsonSerializer.Deserialize(ref reader, PodViewJsonContext.Default.StatusView));
        WatchEventType? kind = type switch
        {
            "ADDED" => WatchEventType.Added,
            "MODIFIED" => WatchEventType.Modified,
            "DELETED" => WatchEventType.Deleted,
            "BOOKMARK" => WatchEventType.Bookmark,
            _ => null,
        };
        if (kind is null)
        {
            reader.Skip();
            return default;
        }
        return new WatchEvent(kind, JsonSerializer.Deserialize(ref reader, PodViewJsonContext.Default.PodView), null);
    }

    private static string PodsUri(string ns, string? selector, string? watchFrom)
    {
        var uri = new StringBuilder("api/v1/namespaces/").Append(Uri.EscapeDataString(ns)).Append("/pods");
        var separator = '?';
        void Query(string name, string value)
        {
            uri.Append(separator).Append(name).Append('=').Append(Uri.EscapeDataString(value));
            separator = '&';
        }
        if (!string.IsNullOrEmpty(selector)) Query("labelSelector", selector);
        if (watchFrom is not null)
        {
            // Bookmarks keep the resume point fresh on a quiet namespace, so a reconnect rarely meets 410 Gone.
            Query("allowWatchBookmarks", "true");
            if (watchFrom.Length > 0) Query("resourceVersion", watchFrom);
            Query("watch", "true");
        }
        return uri.ToString();
    }
}
