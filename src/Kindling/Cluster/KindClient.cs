using k8s;
using k8s.Models;
using Kindling.Resources;

namespace Kindling.Cluster;

/// <summary>
/// The typed calls for one kind Kindling manages. The official client has no generic server-side apply with
/// <c>fieldManager</c> and <c>force</c>, so each kind binds its generated Patch/Read/List/Delete calls once here.
/// </summary>
/// <param name="Kind">Kubernetes kind, e.g. <c>Deployment</c>.</param>
/// <param name="Group">API group (<c>""</c> for core) for access reviews.</param>
/// <param name="Resource">Plural resource name for access reviews.</param>
/// <param name="Namespaced">Whether objects live in a namespace.</param>
/// <param name="Apply">Server-side apply of one object.</param>
/// <param name="Read">Reads one object.</param>
/// <param name="List">Lists a namespace's objects matching a label selector.</param>
/// <param name="Delete">Deletes one object.</param>
internal sealed record KindClient(
    string Kind,
    string Group,
    string Resource,
    bool Namespaced,
    Func<IKubernetes, V1Patch, ObjectRef, CancellationToken, Task<ApplyResponse>> Apply,
    Func<IKubernetes, ObjectRef, CancellationToken, Task<IKubernetesObject<V1ObjectMeta>>> Read,
    Func<IKubernetes, string, string, CancellationToken, Task<IReadOnlyList<IKubernetesObject<V1ObjectMeta>>>> List,
    Func<IKubernetes, ObjectRef, CancellationToken, Task> Delete)
{
    /// <summary>
    /// Creates one object (POST): for objects Kindling creates once and never applies again (its namespace, the
    /// token Secret), so that what exists is never taken over or rewritten. Null for kinds only ever applied.
    /// </summary>
    public Func<IKubernetes, IKubernetesObject<V1ObjectMeta>, CancellationToken, Task<IKubernetesObject<V1ObjectMeta>>>? Create { get; init; }

    /// <summary>Watches a namespace's objects matching a label selector from a resourceVersion (namespace: empty for cluster-scoped kinds).</summary>
    public Func<IKubernetes, string, string?, string, Action<Exception>, CancellationToken, IAsyncEnumerable<(WatchEventType, IKubernetesObject<V1ObjectMeta>)>>? Watch { get; init; }
}

/// <summary>What a server-side apply answered.</summary>
/// <param name="Object">The object as stored after the apply.</param>
/// <param name="Created">The apply created it (the API answered 201 rather than 200).</param>
internal sealed record ApplyResponse(IKubernetesObject<V1ObjectMeta> Object, bool Created);

/// <summary>One object by kind, namespace (empty when cluster-scoped) and name.</summary>
public sealed record ObjectRef(string Kind, string Namespace, string Name)
{
    /// <summary><c>Deployment/kindling-jupyter</c>.</summary>
    public override string ToString() => $"{Kind}/{Name}";

    /// <summary>The reference of a typed object.</summary>
    public static ObjectRef Of(IKubernetesObject<V1ObjectMeta> obj, string defaultNamespace) =>
        new(obj.Kind, KindClients.For(obj.Kind).Namespaced ? obj.Metadata.NamespaceProperty ?? defaultNamespace : "", obj.Metadata.Name);
}

/// <summary>Every kind Kindling renders, applies, prunes and deletes.</summary>
internal static class KindClients
{
    private const string Manager = KindlingLabels.FieldManager;

    // Background propagation: the API answers at once and the garbage collector removes dependents
    // (ReplicaSets and Pods of the Deployment, executors owned by the notebook pod) afterwards.
    private const string Background = "Background";

    public static readonly KindClient Namespace = new("Namespace", "", "namespaces", false,
        (k, p, r, ct) => Applied(k.CoreV1.PatchNamespaceWithHttpMessagesAsync(p, r.Name, fieldManager: Manager, force: true, cancellationToken: ct)),
        async (k, r, ct) => await k.CoreV1.ReadNamespaceAsync(r.Name, cancellationToken: ct),
        async (k, _, sel, ct) => (await k.CoreV1.ListNamespaceAsync(labelSelector: sel, cancellationToken: ct)).Items.ToList<IKubernetesObject<V1ObjectMeta>>(),
        async (k, r, ct) => await k.CoreV1.DeleteNamespaceAsync(r.Name, propagationPolicy: Background, cancellationToken: ct))
    {
        Create = async (k, o, ct) => await k.CoreV1.CreateNamespaceAsync((V1Namespace)o, fieldManager: Manager, cancellationToken: ct),
        Watch = (k, ns, sel, rv, err, ct) => Untyped(k.CoreV1.WatchListNamespaceAsync(labelSelector: sel, allowWatchBookmarks: true, resourceVersion: rv, onError: err, cancellationToken: ct)),
    };

    public static readonly KindClient ServiceAccount = new("ServiceAccount", "", "serviceaccounts", true,
        (k, p, r, ct) => Applied(k.CoreV1.PatchNamespacedServiceAccountWithHttpMessagesAsync(p, r.Name, r.Namespace, fieldManager: Manager, force: true, cancellationToken: ct)),
        async (k, r, ct) => await k.CoreV1.ReadNamespacedServiceAccountAsync(r.Name, r.Namespace, cancellationToken: ct),
        async (k, ns, sel, ct) => (await k.CoreV1.ListNamespacedServiceAccountAsync(ns, labelSelector: sel, cancellationToken: ct)).Items.ToList<IKubernetesObject<V1ObjectMeta>>(),
        async (k, r, ct) => await k.CoreV1.DeleteNamespacedServiceAccountAsync(r.Name, r.Namespace, propagationPolicy: Background, cancellationToken: ct))
    {
        Watch = (k, ns, sel, rv, err, ct) => Untyped(k.CoreV1.WatchListNamespacedServiceAccountAsync(ns, labelSelector: sel, allowWatchBookmarks: true, resourceVersion: rv, onError: err, cancellationToken: ct)),
    };

    public static readonly KindClient Secret = new("Secret", "", "secrets", true,
        (k, p, r, ct) => Applied(k.CoreV1.PatchNamespacedSecretWithHttpMessagesAsync(p, r.Name, r.Namespace, fieldManager: Manager, force: true, cancellationToken: ct)),
        async (k, r, ct) => await k.CoreV1.ReadNamespacedSecretAsync(r.Name, r.Namespace, cancellationToken: ct),
        async (k, ns, sel, ct) => (await k.CoreV1.ListNamespacedSecretAsync(ns, labelSelector: sel, cancellationToken: ct)).Items.ToList<IKubernetesObject<V1ObjectMeta>>(),
        async (k, r, ct) => await k.CoreV1.DeleteNamespacedSecretAsync(r.Name, r.Namespace, propagationPolicy: Background, cancellationToken: ct))
    {
        Create = async (k, o, ct) => await k.CoreV1.CreateNamespacedSecretAsync((V1Secret)o, o.Metadata.NamespaceProperty, fieldManager: Manager, cancellationToken: ct),
        Watch = (k, ns, sel, rv, err, ct) => Untyped(k.CoreV1.WatchListNamespacedSecretAsync(ns, labelSelector: sel, allowWatchBookmarks: true, resourceVersion: rv, onError: err, cancellationToken: ct)),
    };

    public static readonly KindClient ConfigMap = new("ConfigMap", "", "configmaps", true,
        (k, p, r, ct) => Applied(k.CoreV1.PatchNamespacedConfigMapWithHttpMessagesAsync(p, r.Name, r.Namespace, fieldManager: Manager, force: true, cancellationToken: ct)),
        async (k, r, ct) => await k.CoreV1.ReadNamespacedConfigMapAsync(r.Name, r.Namespace, cancellationToken: ct),
        async (k, ns, sel, ct) => (await k.CoreV1.ListNamespacedConfigMapAsync(ns, labelSelector: sel, cancellationToken: ct)).Items.ToList<IKubernetesObject<V1ObjectMeta>>(),
        async (k, r, ct) => await k.CoreV1.DeleteNamespacedConfigMapAsync(r.Name, r.Namespace, propagationPolicy: Background, cancellationToken: ct))
    {
        Watch = (k, ns, sel, rv, err, ct) => Untyped(k.CoreV1.WatchListNamespacedConfigMapAsync(ns, labelSelector: sel, allowWatchBookmarks: true, resourceVersion: rv, onError: err, cancellationToken: ct)),
    };

    public static readonly KindClient PersistentVolumeClaim = new("PersistentVolumeClaim", "", "persistentvolumeclaims", true,
        (k, p, r, ct) => Applied(k.CoreV1.PatchNamespacedPersistentVolumeClaimWithHttpMessagesAsync(p, r.Name, r.Namespace, fieldManager: Manager, force: true, cancellationToken: ct)),
        async (k, r, ct) => await k.CoreV1.ReadNamespacedPersistentVolumeClaimAsync(r.Name, r.Namespace, cancellationToken: ct),
        async (k, ns, sel, ct) => (await k.CoreV1.ListNamespacedPersistentVolumeClaimAsync(ns, labelSelector: sel, cancellationToken: ct)).Items.ToList<IKubernetesObject<V1ObjectMeta>>(),
        async (k, r, ct) => await k.CoreV1.DeleteNamespacedPersistentVolumeClaimAsync(r.Name, r.Namespace, propagationPolicy: Background, cancellationToken: ct))
    {
        Watch = (k, ns, sel, rv, err, ct) => Untyped(k.CoreV1.WatchListNamespacedPersistentVolumeClaimAsync(ns, labelSelector: sel, allowWatchBookmarks: true, resourceVersion: rv, onError: err, cancellationToken: ct)),
    };

    public static readonly KindClient Service = new("Service", "", "services", true,
        (k, p, r, ct) => Applied(k.CoreV1.PatchNamespacedServiceWithHttpMessagesAsync(p, r.Name, r.Namespace, fieldManager: Manager, force: true, cancellationToken: ct)),
        async (k, r, ct) => await k.CoreV1.ReadNamespacedServiceAsync(r.Name, r.Namespace, cancellationToken: ct),
        async (k, ns, sel, ct) => (await k.CoreV1.ListNamespacedServiceAsync(ns, labelSelector: sel, cancellationToken: ct)).Items.ToList<IKubernetesObject<V1ObjectMeta>>(),
        async (k, r, ct) => await k.CoreV1.DeleteNamespacedServiceAsync(r.Name, r.Namespace, propagationPolicy: Background, cancellationToken: ct))
    {
        Watch = (k, ns, sel, rv, err, ct) => Untyped(k.CoreV1.WatchListNamespacedServiceAsync(ns, labelSelector: sel, allowWatchBookmarks: true, resourceVersion: rv, onError: err, cancellationToken: ct)),
    };

    public static readonly KindClient Role = new("Role", "rbac.authorization.k8s.io", "roles", true,
        (k, p, r, ct) => Applied(k.RbacAuthorizationV1.PatchNamespacedRoleWithHttpMessagesAsync(p, r.Name, r.Namespace, fieldManager: Manager, force: true, cancellationToken: ct)),
        async (k, r, ct) => await k.RbacAuthorizationV1.ReadNamespacedRoleAsync(r.Name, r.Namespace, cancellationToken: ct),
        async (k, ns, sel, ct) => (await k.RbacAuthorizationV1.ListNamespacedRoleAsync(ns, labelSelector: sel, cancellationToken: ct)).Items.ToList<IKubernetesObject<V1ObjectMeta>>(),
        async (k, r, ct) => await k.RbacAuthorizationV1.DeleteNamespacedRoleAsync(r.Name, r.Namespace, propagationPolicy: Background, cancellationToken: ct))
    {
        Watch = (k, ns, sel, rv, err, ct) => Untyped(k.RbacAuthorizationV1.WatchListNamespacedRoleAsync(ns, labelSelector: sel, allowWatchBookmarks: true, resourceVersion: rv, onError: err, cancellationToken: ct)),
    };

    public static readonly KindClient RoleBinding = new("RoleBinding", "rbac.authorization.k8s.io", "rolebindings", true,
        (k, p, r, ct) => Applied(k.RbacAuthorizationV1.PatchNamespacedRoleBindingWithHttpMessagesAsync(p, r.Name, r.Namespace, fieldManager: Manager, force: true, cancellationToken: ct)),
        async (k, r, ct) => await k.RbacAuthorizationV1.ReadNamespacedRoleBindingAsync(r.Name, r.Namespace, cancellationToken: ct),
        async (k, ns, sel, ct) => (await k.RbacAuthorizationV1.ListNamespacedRoleBindingAsync(ns, labelSelector: sel, cancellationToken: ct)).Items.ToList<IKubernetesObject<V1ObjectMeta>>(),
        async (k, r, ct) => await k.RbacAuthorizationV1.DeleteNamespacedRoleBindingAsync(r.Name, r.Namespace, propagationPolicy: Background, cancellationToken: ct))
    {
        Watch = (k, ns, sel, rv, err, ct) => Untyped(k.RbacAuthorizationV1.WatchListNamespacedRoleBindingAsync(ns, labelSelector: sel, allowWatchBookmarks: true, resourceVersion: rv, onError: err, cancellationToken: ct)),
    };

    public static readonly KindClient NetworkPolicy = new("NetworkPolicy", "networking.k8s.io", "networkpolicies", true,
        (k, p, r, ct) => Applied(k.NetworkingV1.PatchNamespacedNetworkPolicyWithHttpMessagesAsync(p, r.Name, r.Namespace, fieldManager: Manager, force: true, cancellationToken: ct)),
        async (k, r, ct) => await k.NetworkingV1.ReadNamespacedNetworkPolicyAsync(r.Name, r.Namespace, cancellationToken: ct),
        async (k, ns, sel, ct) => (await k.NetworkingV1.ListNamespacedNetworkPolicyAsync(ns, labelSelector: sel, cancellationToken: ct)).Items.ToList<IKubernetesObject<V1ObjectMeta>>(),
        async (k, r, ct) => await k.NetworkingV1.DeleteNamespacedNetworkPolicyAsync(r.Name, r.Namespace, propagationPolicy: Background, cancellationToken: ct))
    {
        Watch = (k, ns, sel, rv, err, ct) => Untyped(k.NetworkingV1.WatchListNamespacedNetworkPolicyAsync(ns, labelSelector: sel, allowWatchBookmarks: true, resourceVersion: rv, onError: err, cancellationToken: ct)),
    };

    public static readonly KindClient Deployment = new("Deployment", "apps", "deployments", true,
        (k, p, r, ct) => Applied(k.AppsV1.PatchNamespacedDeploymentWithHttpMessagesAsync(p, r.Name, r.Namespace, fieldManager: Manager, force: true, cancellationToken: ct)),
        async (k, r, ct) => await k.AppsV1.ReadNamespacedDeploymentAsync(r.Name, r.Namespace, cancellationToken: ct),
        async (k, ns, sel, ct) => (await k.AppsV1.ListNamespacedDeploymentAsync(ns, labelSelector: sel, cancellationToken: ct)).Items.ToList<IKubernetesObject<V1ObjectMeta>>(),
        async (k, r, ct) => await k.AppsV1.DeleteNamespacedDeploymentAsync(r.Name, r.Namespace, propagationPolicy: Background, cancellationToken: ct))
    {
        Watch = (k, ns, sel, rv, err, ct) => Untyped(k.AppsV1.WatchListNamespacedDeploymentAsync(ns, labelSelector: sel, allowWatchBookmarks: true, resourceVersion: rv, onError: err, cancellationToken: ct)),
    };

    /// <summary>Pods: never applied, but deleted Spark applications and the notebook's pods are waited for.</summary>
    public static readonly KindClient Pod = new("Pod", "", "pods", true,
        (_, _, _, _) => throw new InvalidOperationException("Kindling never applies pods"),
        async (k, r, ct) => await k.CoreV1.ReadNamespacedPodAsync(r.Name, r.Namespace, cancellationToken: ct),
        async (k, ns, sel, ct) => (await k.CoreV1.ListNamespacedPodAsync(ns, labelSelector: sel, cancellationToken: ct)).Items.ToList<IKubernetesObject<V1ObjectMeta>>(),
        async (k, r, ct) => await k.CoreV1.DeleteNamespacedPodAsync(r.Name, r.Namespace, propagationPolicy: Background, cancellationToken: ct))
    {
        Watch = (k, ns, sel, rv, err, ct) => Untyped(k.CoreV1.WatchListNamespacedPodAsync(ns, labelSelector: sel, allowWatchBookmarks: true, resourceVersion: rv, onError: err, cancellationToken: ct)),
    };

    public static readonly KindClient ClusterRole = new("ClusterRole", "rbac.authorization.k8s.io", "clusterroles", false,
        (k, p, r, ct) => Applied(k.RbacAuthorizationV1.PatchClusterRoleWithHttpMessagesAsync(p, r.Name, fieldManager: Manager, force: true, cancellationToken: ct)),
        async (k, r, ct) => await k.RbacAuthorizationV1.ReadClusterRoleAsync(r.Name, cancellationToken: ct),
        async (k, _, sel, ct) => (await k.RbacAuthorizationV1.ListClusterRoleAsync(labelSelector: sel, cancellationToken: ct)).Items.ToList<IKubernetesObject<V1ObjectMeta>>(),
        async (k, r, ct) => await k.RbacAuthorizationV1.DeleteClusterRoleAsync(r.Name, propagationPolicy: Background, cancellationToken: ct));

    public static readonly KindClient ClusterRoleBinding = new("ClusterRoleBinding", "rbac.authorization.k8s.io", "clusterrolebindings", false,
        (k, p, r, ct) => Applied(k.RbacAuthorizationV1.PatchClusterRoleBindingWithHttpMessagesAsync(p, r.Name, fieldManager: Manager, force: true, cancellationToken: ct)),
        async (k, r, ct) => await k.RbacAuthorizationV1.ReadClusterRoleBindingAsync(r.Name, cancellationToken: ct),
        async (k, _, sel, ct) => (await k.RbacAuthorizationV1.ListClusterRoleBindingAsync(labelSelector: sel, cancellationToken: ct)).Items.ToList<IKubernetesObject<V1ObjectMeta>>(),
        async (k, r, ct) => await k.RbacAuthorizationV1.DeleteClusterRoleBindingAsync(r.Name, propagationPolicy: Background, cancellationToken: ct));

    // Cluster-scoped: the namespace argument of List is ignored, and the inventory selector alone does not tell two
    // environments of the same name apart (see ClusterScopedOwnership).
    public static readonly KindClient StorageClass = new("StorageClass", "storage.k8s.io", "storageclasses", false,
        (k, p, r, ct) => Applied(k.StorageV1.PatchStorageClassWithHttpMessagesAsync(p, r.Name, fieldManager: Manager, force: true, cancellationToken: ct)),
        async (k, r, ct) => await k.StorageV1.ReadStorageClassAsync(r.Name, cancellationToken: ct),
        async (k, _, sel, ct) => (await k.StorageV1.ListStorageClassAsync(labelSelector: sel, cancellationToken: ct)).Items.ToList<IKubernetesObject<V1ObjectMeta>>(),
        async (k, r, ct) => await k.StorageV1.DeleteStorageClassAsync(r.Name, propagationPolicy: Background, cancellationToken: ct))
    {
        Watch = (k, _, sel, rv, err, ct) => Untyped(k.StorageV1.WatchListStorageClassAsync(labelSelector: sel, allowWatchBookmarks: true, resourceVersion: rv, onError: err, cancellationToken: ct)),
    };

    /// <summary>
    /// All kinds, namespace first; the namespaced ones are what prune and down list. ClusterRole and
    /// ClusterRoleBinding are only rendered for the Cluster Autoscaler on Kindling's EKS.
    /// </summary>
    public static readonly IReadOnlyList<KindClient> All =
        [Namespace, StorageClass, ServiceAccount, Role, RoleBinding, Secret, ConfigMap, PersistentVolumeClaim, Service, NetworkPolicy, Deployment, ClusterRole, ClusterRoleBinding];

    /// <summary>The cluster-scoped kinds an environment may own besides its Namespace; <see cref="Inventory"/> lists them by inventory and namespace label.</summary>
    public static readonly IReadOnlyList<KindClient> ClusterScoped = [StorageClass];

    /// <summary>
    /// The applied object and whether the apply created it: kube-apiserver answers a PATCH that created the object
    /// (apply of a missing object) with 201 Created and one that changed or kept an existing object with 200
    /// (apiserver endpoints/handlers/patch.go, patchResource: wasCreated), so no read before the apply is needed.
    /// </summary>
    private static async Task<ApplyResponse> Applied<T>(Task<k8s.Autorest.HttpOperationResponse<T>> call)
        where T : IKubernetesObject<V1ObjectMeta>
    {
        using var response = await call.ConfigureAwait(false);
        return new ApplyResponse(response.Body, response.Response.StatusCode == System.Net.HttpStatusCode.Created);
    }

    private static async IAsyncEnumerable<(WatchEventType, IKubernetesObject<V1ObjectMeta>)> Untyped<T>(IAsyncEnumerable<(WatchEventType, T)> events)
        where T : IKubernetesObject<V1ObjectMeta>
    {
        await foreach (var (type, obj) in events.ConfigureAwait(false)) yield return (type, obj);
    }

    /// <summary>The calls for a kind; an unknown kind is a bug in the renderer, not user input.</summary>
    public static KindClient For(string kind) =>
        All.FirstOrDefault(k => k.Kind == kind) ?? (kind == Pod.Kind ? Pod : null) ?? throw new KindlingException($"Kindling cannot apply objects of kind '{kind}'");

    /// <summary>The label selector for everything an environment owns.</summary>
    public static string InventorySelector(string environment) => $"{KindlingLabels.Inventory}={environment}";
}
