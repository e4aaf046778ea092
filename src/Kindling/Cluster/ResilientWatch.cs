using k8s;
using k8s.Autorest;
using k8s.Models;

namespace Kindling.Cluster;

/// <summary>How to list and watch one kind of object in a namespace.</summary>
/// <param name="Name">For errors: <c>pods in kindling</c>.</param>
/// <param name="List">Lists the objects; returns them and the list's resourceVersion.</param>
/// <param name="Watch">Watches from a resourceVersion; errors reported by the stream go to the callback.</param>
/// <param name="VersionOf">An object's resourceVersion, for objects that are not the client's models
/// (<see cref="PodView"/>); null reads <c>metadata.resourceVersion</c> of a model.</param>
internal sealed record WatchSource<T>(
    string Name,
    Func<IKubernetes, CancellationToken, Task<(IReadOnlyList<T> Items, string ResourceVersion)>> List,
    Func<IKubernetes, string, Action<Exception>, CancellationToken, IAsyncEnumerable<(WatchEventType, T)>> Watch,
    Func<T, string?>? VersionOf = null)
    where T : class
{
    /// <summary>The object's resourceVersion, if it has one.</summary>
    public string? VersionOfObject(T? obj) =>
        obj is null ? null : VersionOf is { } versionOf ? versionOf(obj) : (obj as IKubernetesObject<V1ObjectMeta>)?.Metadata?.ResourceVersion;
}

/// <summary>
/// A list-then-watch loop that survives the API server: after a disconnect it watches again from the last
/// resourceVersion it saw (so no event is lost or repeated), and when that version has been compacted away
/// (410 Gone, as a status code or as an ERROR event in the stream) it lists again and starts over.
/// </summary>
internal static class ResilientWatch
{
    private static readonly TimeSpan FirstReconnectDelay = TimeSpan.FromMilliseconds(100);
    private static readonly TimeSpan MaxReconnectDelay = TimeSpan.FromSeconds(5);

    /// <summary>Runs until cancelled; only non-transient API errors (e.g. 403) end it early.</summary>
    /// <param name="connection">The cluster.</param>
    /// <param name="source">What to watch.</param>
    /// <param name="onList">Called with the full set after every (re)list; replaces what the caller knew.</param>
    /// <param name="onEvent">Called for every added, modified or deleted object.</param>
    /// <param name="cancellationToken">Stops the loop.</param>
    public static async Task RunAsync<T>(
        KubeConnection connection, WatchSource<T> source, Action<IReadOnlyList<T>> onList, Action<WatchEventType, T> onEvent,
        CancellationToken cancellationToken)
        where T : class
    {
        string? resourceVersion = null;
        var delay = FirstReconnectDelay;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (resourceVersion is null)
            {
                var (items, listVersion) = await connection.CallAsync($"list {source.Name}", source.List, cancellationToken).ConfigureAwait(false);
                onList(items);
                resourceVersion = listVersion;
            }

            Exception? streamError = null;
            var sawEvent = false;
            try
            {
                await foreach (var (type, obj) in source.Watch(connection.Client, resourceVersion, e => streamError ??= e, cancellationToken)
                                   .ConfigureAwait(false))
                {
                    sawEvent = true;
                    if (source.VersionOfObject(obj) is { Length: > 0 } version) resourceVersion = version;
                    if (type is WatchEventType.Added or WatchEventType.Modified or WatchEventType.Deleted) onEvent(type, obj!);
                }
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested)
            {
                if (!IsDisconnect(e))
                {
                    var translated = connection.Translate($"watch {source.Name}", e, cancellationToken);
                    if (translated is null) throw;
                    throw translated;
                }
                streamError ??= e;
            }

            if (IsGone(streamError))
            {
                // The version we resumed from is older than the server's history: only a fresh list is consistent.
                resourceVersion = null;
            }
            else if (streamError is not null && !IsDisconnect(streamError)
                     && connection.Translate($"watch {source.Name}", streamError, cancellationToken) is KubernetesApiException { StatusCode: not (429 or >= 500) } fatal)
            {
                throw fatal;
            }

            // A watch that ended normally (server timeout) reconnects at once; repeated failures back off.
            delay = sawEvent && streamError is null ? FirstReconnectDelay : Min(delay * 2, MaxReconnectDelay);
            if (streamError is not null || !sawEvent)
                await Task.Delay(delay, connection.Time, cancellationToken).ConfigureAwait(false);
        }
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    private static bool IsGone(Exception? error) => error switch
    {
        KubernetesException { Status.Code: 410 } => true,
        HttpOperationException { Response.StatusCode: System.Net.HttpStatusCode.Gone } => true,
        _ => false,
    };

    /// <summary>The stream broke or the server refused the watch for a reason worth retrying.</summary>
    private static bool IsDisconnect(Exception error) => error switch
    {
        IOException or HttpRequestException or System.Text.Json.JsonException => true,
        HttpOperationException http => http.Response.StatusCode == System.Net.HttpStatusCode.Gone
                                       || RetryingHandler.IsTransient(http.Response.StatusCode),
        KubernetesException { Status.Code: 410 or 429 or >= 500 } => true,
        OperationCanceledException => true,
        _ => false,
    };
}
