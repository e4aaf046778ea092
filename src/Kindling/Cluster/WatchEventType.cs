namespace Kindling.Cluster;

/// <summary>
/// The <c>type</c> of a watch event (apimachinery pkg/watch: ADDED, MODIFIED, DELETED, BOOKMARK, ERROR).
/// KubernetesClient.Aot leaves out the full client's Watcher and its enum, so Kindling names the five itself.
/// </summary>
public enum WatchEventType
{
    /// <summary>The object was created, or matched the watch's filter, or the watch started (initial events).</summary>
    Added,

    /// <summary>The object changed.</summary>
    Modified,

    /// <summary>The object was deleted or no longer matches the filter.</summary>
    Deleted,

    /// <summary>The server ended the watch with a Status (most often 410 Gone: resume from a fresh list).</summary>
    Error,

    /// <summary>Only a newer resourceVersion to resume from.</summary>
    Bookmark,
}
