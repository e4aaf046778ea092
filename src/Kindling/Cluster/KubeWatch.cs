using System.Runtime.CompilerServices;
using System.Text.Json;
using k8s;
using k8s.Autorest;
using k8s.Models;

namespace Kindling.Cluster;

/// <summary>
/// Watches through a <see cref="WatchingKubernetes"/>: the generated <c>List…WithHttpMessagesAsync(watch: true)</c>
/// builds the URL and sends the request (credentials, retries), and the newline-delimited JSON events
/// (<c>{"type":"ADDED","object":{…}}</c>, apimachinery pkg/watch/json) are read here with the client's
/// source-generated JSON metadata, so nothing needs reflection. Same contract as the full client's
/// <c>Watcher.CreateWatchEventEnumerator</c>: an ERROR event carrying a Status, or a line that cannot be read, goes
/// to <c>onError</c> as a <see cref="KubernetesException"/> / <see cref="JsonException"/> and the stream goes on;
/// the sequence ends when the server closes the watch.
/// </summary>
internal static class KubeWatch
{
    public static IAsyncEnumerable<(WatchEventType, V1Namespace)> WatchListNamespaceAsync(this ICoreV1Operations ops,
        bool? allowWatchBookmarks = null, string? fieldSelector = null, string? labelSelector = null, string? resourceVersion = null,
        int? timeoutSeconds = null, Action<Exception>? onError = null, CancellationToken cancellationToken = default) =>
        Events<V1Namespace, V1NamespaceList>(ops, ct => ops.ListNamespaceWithHttpMessagesAsync(allowWatchBookmarks: allowWatchBookmarks,
            fieldSelector: fieldSelector, labelSelector: labelSelector, resourceVersion: resourceVersion, timeoutSeconds: timeoutSeconds,
            watch: true, cancellationToken: ct), onError, cancellationToken);

    public static IAsyncEnumerable<(WatchEventType, V1Pod)> WatchListNamespacedPodAsync(this ICoreV1Operations ops, string namespaceParameter,
        bool? allowWatchBookmarks = null, string? fieldSelector = null, string? labelSelector = null, string? resourceVersion = null,
        int? timeoutSeconds = null, Action<Exception>? onError = null, CancellationToken cancellationToken = default) =>
        Events<V1Pod, V1PodList>(ops, ct => ops.ListNamespacedPodWithHttpMessagesAsync(namespaceParameter, allowWatchBookmarks: allowWatchBookmarks,
            fieldSelector: fieldSelector, labelSelector: labelSelector, resourceVersion: resourceVersion, timeoutSeconds: timeoutSeconds,
            watch: true, cancellationToken: ct), onError, cancellationToken);

    public static IAsyncEnumerable<(WatchEventType, V1ConfigMap)> WatchListNamespacedConfigMapAsync(this ICoreV1Operations ops, string namespaceParameter,
        bool? allowWatchBookmarks = null, string? fieldSelector = null, string? labelSelector = null, string? resourceVersion = null,
        int? timeoutSeconds = null, Action<Exception>? onError = null, CancellationToken cancellationToken = default) =>
        Events<V1ConfigMap, V1ConfigMapList>(ops, ct => ops.ListNamespacedConfigMapWithHttpMessagesAsync(namespaceParameter, allowWatchBookmarks: allowWatchBookmarks,
            fieldSelector: fieldSelector, labelSelector: labelSelector, resourceVersion: resourceVersion, timeoutSeconds: timeoutSeconds,
            watch: true, cancellationToken: ct), onError, cancellationToken);

    public static IAsyncEnumerable<(WatchEventType, V1ConfigMap)> WatchListConfigMapForAllNamespacesAsync(this ICoreV1Operations ops,
        bool? allowWatchBookmarks = null, string? fieldSelector = null, string? labelSelector = null, string? resourceVersion = null,
        int? timeoutSeconds = null, Action<Exception>? onError = null, CancellationToken cancellationToken = default) =>
        Events<V1ConfigMap, V1ConfigMapList>(ops, ct => ops.ListConfigMapForAllNamespacesWithHttpMessagesAsync(allowWatchBookmarks: allowWatchBookmarks,
            fieldSelector: fieldSelector, labelSelector: labelSelector, resourceVersion: resourceVersion, timeoutSeconds: timeoutSeconds,
            watch: true, cancellationToken: ct), onError, cancellationToken);

    public static IAsyncEnumerable<(WatchEventType, V1Secret)> WatchListNamespacedSecretAsync(this ICoreV1Operations ops, string namespaceParameter,
        bool? allowWatchBookmarks = null, string? labelSelector = null, string? resourceVersion = null,
        Action<Exception>? onError = null, CancellationToken cancellationToken = default) =>
        Events<V1Secret, V1SecretList>(ops, ct => ops.ListNamespacedSecretWithHttpMessagesAsync(namespaceParameter, allowWatchBookmarks: allowWatchBookmarks,
            labelSelector: labelSelector, resourceVersion: resourceVersion, watch: true, cancellationToken: ct), onError, cancellationToken);

    public static IAsyncEnumerable<(WatchEventType, V1ServiceAccount)> WatchListNamespacedServiceAccountAsync(this ICoreV1Operations ops, string namespaceParameter,
        bool? allowWatchBookmarks = null, string? labelSelector = null, string? resourceVersion = null,
        Action<Exception>? onError = null, CancellationToken cancellationToken = default) =>
        Events<V1ServiceAccount, V1ServiceAccountList>(ops, ct => ops.ListNamespacedServiceAccountWithHttpMessagesAsync(namespaceParameter,
            allowWatchBookmarks: allowWatchBookmarks, labelSelector: labelSelector, resourceVersion: resourceVersion, watch: true, cancellationToken: ct),
            onError, cancellationToken);

    public static IAsyncEnumerable<(WatchEventType, V1PersistentVolumeClaim)> WatchListNamespacedPersistentVolumeClaimAsync(this ICoreV1Operations ops,
        string namespaceParameter, bool? allowWatchBookmarks = null, string? labelSelector = null, string? resourceVersion = null,
        Action<Exception>? onError = null, CancellationToken cancellationToken = default) =>
        Events<V1PersistentVolumeClaim, V1PersistentVolumeClaimList>(ops, ct => ops.ListNamespacedPersistentVolumeClaimWithHttpMessagesAsync(namespaceParameter,
            allowWatchBookmarks: allowWatchBookmarks, labelSelector: labelSelector, resourceVersion: resourceVersion, watch: true, cancellationToken: ct),
            onError, cancellationToken);

    public static IAsyncEnumerable<(WatchEventType, V1Service)> WatchListNamespacedServiceAsync(this ICoreV1Operations ops, string namespaceParameter,
        bool? allowWatchBookmarks = null, string? labelSelector = null, string? resourceVersion = null,
        Action<Exception>? onError = null, CancellationToken cancellationToken = default) =>
        Events<V1Service, V1ServiceList>(ops, ct => ops.ListNamespacedServiceWithHttpMessagesAsync(namespaceParameter, allowWatchBookmarks: allowWatchBookmarks,
            labelSelector: labelSelector, resourceVersion: resourceVersion, watch: true, cancellationToken: ct), onError, cancellationToken);

    public static IAsyncEnumerable<(WatchEventType, V1Role)> WatchListNamespacedRoleAsync(this IRbacAuthorizationV1Operations ops, string namespaceParameter,
        bool? allowWatchBookmarks = null, string? labelSelector = null, string? resourceVersion = null,
        Action<Exception>? onError = null, CancellationToken cancellationToken = default) =>
        Events<V1Role, V1RoleList>(ops, ct => ops.ListNamespacedRoleWithHttpMessagesAsync(namespaceParameter, allowWatchBookmarks: allowWatchBookmarks,
            labelSelector: labelSelector, resourceVersion: resourceVersion, watch: true, cancellationToken: ct), onError, cancellationToken);

    public static IAsyncEnumerable<(WatchEventType, V1RoleBinding)> WatchListNamespacedRoleBindingAsync(this IRbacAuthorizationV1Operations ops,
        string namespaceParameter, bool? allowWatchBookmarks = null, string? labelSelector = null, string? resourceVersion = null,
        Action<Exception>? onError = null, CancellationToken cancellationToken = default) =>
        Events<V1RoleBinding, V1RoleBindingList>(ops, ct => ops.ListNamespacedRoleBindingWithHttpMessagesAsync(namespaceParameter,
            allowWatchBookmarks: allowWatchBookmarks, labelSelector: labelSelector, resourceVersion: resourceVersion, watch: true, cancellationToken: ct),
            onError, cancellationToken);

    public static IAsyncEnumerable<(WatchEventType, V1NetworkPolicy)> WatchListNamespacedNetworkPolicyAsync(this INetworkingV1Operations ops,
        string namespaceParameter, bool? allowWatchBookmarks = null, string? labelSelector = null, string? resourceVersion = null,
        Action<Exception>? onError = null, CancellationToken cancellationToken = default) =>
        Events<V1NetworkPolicy, V1NetworkPolicyList>(ops, ct => ops.ListNamespacedNetworkPolicyWithHttpMessagesAsync(namespaceParameter,
            allowWatchBookmarks: allowWatchBookmarks, labelSelector: labelSelector, resourceVersion: resourceVersion, watch: true, cancellationToken: ct),
            onError, cancellationToken);

    public static IAsyncEnumerable<(WatchEventType, V1Deployment)> WatchListNamespacedDeploymentAsync(this IAppsV1Operations ops, string namespaceParameter,
        bool? allowWatchBookmarks = null, string? labelSelector = null, string? resourceVersion = null,
        Action<Exception>? onError = null, CancellationToken cancellationToken = default) =>
        Events<V1Deployment, V1DeploymentList>(ops, ct => ops.ListNamespacedDeploymentWithHttpMessagesAsync(namespaceParameter, allowWatchBookmarks: allowWatchBookmarks,
            labelSelector: labelSelector, resourceVersion: resourceVersion, watch: true, cancellationToken: ct), onError, cancellationToken);

    public static IAsyncEnumerable<(WatchEventType, V1StorageClass)> WatchListStorageClassAsync(this IStorageV1Operations ops,
        bool? allowWatchBookmarks = null, string? labelSelector = null, string? resourceVersion = null,
        Action<Exception>? onError = null, CancellationToken cancellationToken = default) =>
        Events<V1StorageClass, V1StorageClassList>(ops, ct => ops.ListStorageClassWithHttpMessagesAsync(allowWatchBookmarks: allowWatchBookmarks,
            labelSelector: labelSelector, resourceVersion: resourceVersion, watch: true, cancellationToken: ct), onError, cancellationToken);

    /// <summary>Opens the watch (the request goes out on the first MoveNext, as with the full client) and reads its events.</summary>
    private static async IAsyncEnumerable<(WatchEventType, T)> Events<T, TList>(
        object client, Func<CancellationToken, Task<HttpOperationResponse<TList>>> open, Action<Exception>? onError,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // The operations interfaces are the client itself (AbstractKubernetes: CoreV1 => this); only a
        // WatchingKubernetes leaves the stream unread, any other client has already consumed its first event.
        if (client is not WatchingKubernetes)
            throw new InvalidOperationException("watches need a client created as WatchingKubernetes");
        using var response = await open(cancellationToken).ConfigureAwait(false);
        using var stream = await response.Response.Content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        using var reader = new StreamReader(stream);
        while (await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false) is { } line)
        {
            if (line.Length == 0) continue;
            (WatchEventType, T)? parsed = null;
            try
            {
                parsed = Parse<T>(line, onError);
            }
            catch (Exception e) when (e is JsonException or FormatException or InvalidOperationException or KeyNotFoundException)
            {
                onError?.Invoke(e);
            }
            if (parsed is { } item) yield return item;
        }
    }

    private static (WatchEventType, T)? Parse<T>(string line, Action<Exception>? onError)
    {
        using var document = JsonDocument.Parse(line);
        var root = document.RootElement;
        var obj = root.GetProperty("object");
        if (obj.TryGetProperty("kind", out var kind) && kind.ValueKind == JsonValueKind.String && kind.GetString() == "Status")
        {
            onError?.Invoke(new KubernetesException(KubernetesJson.Deserialize<V1Status>(obj)));
            return null;
        }
        var type = root.GetProperty("type").GetString() switch
        {
            "ADDED" => WatchEventType.Added,
            "MODIFIED" => WatchEventType.Modified,
            "DELETED" => WatchEventType.Deleted,
            "BOOKMARK" => WatchEventType.Bookmark,
            "ERROR" => WatchEventType.Error,
            var other => throw new JsonException($"unknown watch event type '{other}'"),
        };
        return (type, KubernetesJson.Deserialize<T>(obj));
    }
}
