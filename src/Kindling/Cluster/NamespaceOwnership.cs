using k8s;
using k8s.Models;
using Kindling.Operations;
using Kindling.Resources;

namespace Kindling.Cluster;

/// <summary>What Kindling knows about the environment's namespace before touching it.</summary>
public enum NamespaceState
{
    /// <summary>It does not exist: <c>up</c> creates it (and needs the right to).</summary>
    Missing,

    /// <summary>Kindling created it for this environment (the creation annotation says so).</summary>
    CreatedByKindling,

    /// <summary>It exists and is someone else's: used as is, never changed or deleted.</summary>
    Foreign,

    /// <summary>The identity may not read namespaces; taken to exist and to be someone else's.</summary>
    Unreadable,
}

/// <summary>
/// Who owns the environment's namespace. Kindling creates a namespace only when it does not exist, recording that
/// it did in an annotation written by that create (never by apply, which would also take over an existing one);
/// an existing namespace is used as is, with no label or annotation changed. <c>down --purge</c> deletes the
/// namespace only when the annotation names this environment and nothing but Kindling's objects is left in it.
/// </summary>
internal sealed class NamespaceOwnership(KubeConnection connection, string environment, string @namespace)
{
    /// <summary>Names the environment whose <c>up</c> created the namespace.</summary>
    public const string CreatedByAnnotation = "kindling.dev/created-by";

    private ObjectRef Ref => new("Namespace", "", @namespace);

    /// <summary>Reads the namespace and classifies it.</summary>
    public async Task<NamespaceState> InspectAsync(CancellationToken cancellationToken)
    {
        try
        {
            // GET /api/v1/namespaces/<ns> is authorized with the namespace attribute set to <ns> (apiserver
            // requestinfo.go), so a RoleBinding inside it that grants "get namespaces" (the view/edit/admin roles do) suffices.
            var existing = await connection.TryCallAsync($"read {Ref}", (k, ct) => KindClients.Namespace.Read(k, Ref, ct), cancellationToken).ConfigureAwait(false);
            return existing is null ? NamespaceState.Missing : Classify(existing);
        }
        catch (KubernetesApiException e) when (e.StatusCode == 403)
        {
            return NamespaceState.Unreadable;
        }
    }

    private NamespaceState Classify(IKubernetesObject<V1ObjectMeta> ns) =>
        ns.Metadata.Annotations?.TryGetValue(CreatedByAnnotation, out var by) == true && by == environment
            ? NamespaceState.CreatedByKindling
            : NamespaceState.Foreign;

    /// <summary>
    /// Creates the namespace when it is missing (POST, with the creation annotation); otherwise leaves it exactly as
    /// it is. A create that meets 409 (a retried request that had succeeded, or a concurrent <c>up</c>) reads the
    /// namespace again and judges it by its annotation.
    /// </summary>
    public async Task<AppliedObject> EnsureAsync(NamespaceState state, V1Namespace rendered, IProgress<ProgressEvent> progress, CancellationToken cancellationToken)
    {
        if (state == NamespaceState.Missing)
        {
            var toCreate = WithCreationAnnotation(rendered);
            try
            {
                await connection.CallAsync($"create {Ref}", (k, ct) => KindClients.Namespace.Create!(k, toCreate, ct), cancellationToken).ConfigureAwait(false);
                progress.Report(new ProgressEvent(Ref.ToString(), ProgressStatus.Changed, "created"));
                return new AppliedObject(Ref, ApplyAction.Created);
            }
            catch (KubernetesApiException e) when (e.StatusCode == 409)
            {
                state = await InspectAsync(cancellationToken).ConfigureAwait(false);
            }
        }
        var result = state switch
        {
            NamespaceState.CreatedByKindling => new AppliedObject(Ref, ApplyAction.Unchanged),
            NamespaceState.Unreadable => new AppliedObject(Ref, ApplyAction.Kept, "exists but cannot be read by this identity; used as is"),
            _ => new AppliedObject(Ref, ApplyAction.Kept, "exists and was not created by Kindling; used as is, labels and annotations unchanged"),
        };
        progress.Report(new ProgressEvent(Ref.ToString(), result.Action == ApplyAction.Kept ? ProgressStatus.Info : ProgressStatus.Unchanged,
            result.Note ?? "unchanged"));
        return result;
    }

    private V1Namespace WithCreationAnnotation(V1Namespace rendered)
    {
        var annotations = new Dictionary<string, string>(rendered.Metadata.Annotations ?? new Dictionary<string, string>(), StringComparer.Ordinal)
        {
            [CreatedByAnnotation] = environment,
        };
        return new V1Namespace
        {
            ApiVersion = rendered.ApiVersion,
            Kind = rendered.Kind,
            Metadata = new V1ObjectMeta
            {
                Name = rendered.Metadata.Name,
                Labels = rendered.Metadata.Labels,
                Annotations = annotations,
            },
        };
    }

    /// <summary>
    /// Objects in the namespace that are not Kindling's: neither labelled with this environment's inventory, nor
    /// owned (ownerReferences) by something that is, nor created by Kubernetes itself for every namespace. Kinds a
    /// cluster does not serve are skipped. Spark applications are not the environment's: they are the user's work.
    /// </summary>
    public async Task<IReadOnlyList<ObjectRef>> ForeignObjectsAsync(CancellationToken cancellationToken)
    {
        var all = new List<(string Kind, IKubernetesObject<V1ObjectMeta> Obj)>();
        foreach (var (kind, list) in Listers)
        {
            try
            {
                var items = await connection.CallAsync($"list {kind} in {@namespace}", (k, ct) => list(k, @namespace, ct), cancellationToken).ConfigureAwait(false);
                all.AddRange(items.Select(o => (kind, o)));
            }
            catch (KubernetesApiException e) when (e.StatusCode == 404)
            {
                // The cluster does not serve this API (or the namespace is already gone).
            }
        }
        var ours = new HashSet<string>(StringComparer.Ordinal);
        foreach (var (_, obj) in all.Where(o => Inventory.Owns(o.Obj, environment))) ours.Add(obj.Metadata.Uid ?? "");
        // Owner references chain (Deployment → ReplicaSet → Pod → executor pods): iterate until nothing new joins.
        bool grew;
        do
        {
            grew = false;
            foreach (var (_, obj) in all)
            {
                if (ours.Contains(obj.Metadata.Uid ?? "")) continue;
                if (obj.Metadata.OwnerReferences?.Any(r => ours.Contains(r.Uid)) == true && ours.Add(obj.Metadata.Uid ?? "")) grew = true;
            }
        }
        while (grew);
        return all
            .Where(o => !ours.Contains(o.Obj.Metadata.Uid ?? "") && !IsPerNamespaceDefault(o.Kind, o.Obj))
            .Select(o => new ObjectRef(o.Kind, @namespace, o.Obj.Metadata.Name))
            .ToList();
    }

    /// <summary>What Kubernetes puts in every namespace: the default ServiceAccount and the root CA ConfigMap.</summary>
    private static bool IsPerNamespaceDefault(string kind, IKubernetesObject<V1ObjectMeta> obj) => (kind, obj.Metadata.Name) switch
    {
        ("ServiceAccount", "default") => true,
        ("ConfigMap", "kube-root-ca.crt") => true,
        // Token Secrets of the default ServiceAccount on clusters older than 1.24.
        ("Secret", _) when obj is V1Secret { Type: "kubernetes.io/service-account-token" } s
                           && s.Metadata.Annotations?.TryGetValue("kubernetes.io/service-account.name", out var sa) == true && sa == "default" => true,
        _ => false,
    };

    private static readonly (string Kind, Func<IKubernetes, string, CancellationToken, Task<IReadOnlyList<IKubernetesObject<V1ObjectMeta>>>> List)[] Listers =
    [
        ("Pod", async (k, ns, ct) => Items((await k.CoreV1.ListNamespacedPodAsync(ns, cancellationToken: ct)).Items)),
        ("Service", async (k, ns, ct) => Items((await k.CoreV1.ListNamespacedServiceAsync(ns, cancellationToken: ct)).Items)),
        ("ConfigMap", async (k, ns, ct) => Items((await k.CoreV1.ListNamespacedConfigMapAsync(ns, cancellationToken: ct)).Items)),
        ("Secret", async (k, ns, ct) => Items((await k.CoreV1.ListNamespacedSecretAsync(ns, cancellationToken: ct)).Items)),
        ("ServiceAccount", async (k, ns, ct) => Items((await k.CoreV1.ListNamespacedServiceAccountAsync(ns, cancellationToken: ct)).Items)),
        ("PersistentVolumeClaim", async (k, ns, ct) => Items((await k.CoreV1.ListNamespacedPersistentVolumeClaimAsync(ns, cancellationToken: ct)).Items)),
        ("Deployment", async (k, ns, ct) => Items((await k.AppsV1.ListNamespacedDeploymentAsync(ns, cancellationToken: ct)).Items)),
        ("ReplicaSet", async (k, ns, ct) => Items((await k.AppsV1.ListNamespacedReplicaSetAsync(ns, cancellationToken: ct)).Items)),
        ("StatefulSet", async (k, ns, ct) => Items((await k.AppsV1.ListNamespacedStatefulSetAsync(ns, cancellationToken: ct)).Items)),
        ("DaemonSet", async (k, ns, ct) => Items((await k.AppsV1.ListNamespacedDaemonSetAsync(ns, cancellationToken: ct)).Items)),
        ("Job", async (k, ns, ct) => Items((await k.BatchV1.ListNamespacedJobAsync(ns, cancellationToken: ct)).Items)),
        ("CronJob", async (k, ns, ct) => Items((await k.BatchV1.ListNamespacedCronJobAsync(ns, cancellationToken: ct)).Items)),
        ("Role", async (k, ns, ct) => Items((await k.RbacAuthorizationV1.ListNamespacedRoleAsync(ns, cancellationToken: ct)).Items)),
        ("RoleBinding", async (k, ns, ct) => Items((await k.RbacAuthorizationV1.ListNamespacedRoleBindingAsync(ns, cancellationToken: ct)).Items)),
        ("NetworkPolicy", async (k, ns, ct) => Items((await k.NetworkingV1.ListNamespacedNetworkPolicyAsync(ns, cancellationToken: ct)).Items)),
        ("Ingress", async (k, ns, ct) => Items((await k.NetworkingV1.ListNamespacedIngressAsync(ns, cancellationToken: ct)).Items)),
    ];

    private static IReadOnlyList<IKubernetesObject<V1ObjectMeta>> Items<T>(IEnumerable<T> items) where T : IKubernetesObject<V1ObjectMeta> =>
        items.Cast<IKubernetesObject<V1ObjectMeta>>().ToList();
}
