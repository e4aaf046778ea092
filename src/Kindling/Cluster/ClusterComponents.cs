using k8s.Models;
using Kindling.Resources;

namespace Kindling.Cluster;

/// <summary>
/// The objects an environment applies outside its namespace as a component of the whole cluster: the Cluster
/// Autoscaler of Kindling's EKS (kube-system, plus its ClusterRole and binding). <c>down</c> does not delete them
/// and says so. The reason is cost, not convenience: once <c>down</c> removes the notebook and the Spark pods,
/// it is the autoscaler that drains the now-empty nodes and shrinks each Auto Scaling group back to its minimum
/// (cluster-autoscaler FAQ, "How does scale-down work?": nodes unneeded for <c>--scale-down-unneeded-time</c>
/// are removed). Deleting it with the workload would leave every node that had been scaled up running and billed
/// until <c>infra destroy</c>, which removes the autoscaler with the cluster it serves.
/// </summary>
internal static class ClusterComponents
{
    /// <summary>Why <c>down</c> leaves the autoscaler, as shown beside each of its objects.</summary>
    public const string KeptOnDown =
        "the Cluster Autoscaler shrinks the node groups back to their minimum once the environment's pods are gone; 'kindling infra destroy' removes it with the cluster";

    /// <summary>The rendered cluster components: the autoscaler's objects, when the environment renders them.</summary>
    public static IReadOnlyList<Manifest> Of(IReadOnlyList<Manifest> manifests) =>
        manifests.Where(m => m.Object.Metadata.Labels?.TryGetValue(StandardLabels.Name, out var name) == true && name == ClusterAutoscaler.Name).ToList();

    /// <summary>
    /// Each rendered component that exists and carries this environment's inventory label, as kept; one that is
    /// missing, someone else's, or unreadable by this identity is not listed (down never touches it either way).
    /// </summary>
    public static async Task<IReadOnlyList<AppliedObject>> KeptAsync(KubeConnection connection, string environment, IReadOnlyList<Manifest> manifests,
        string defaultNamespace, CancellationToken cancellationToken)
    {
        var kept = new List<AppliedObject>();
        foreach (var manifest in Of(manifests))
        {
            var target = ObjectRef.Of(manifest.Object, defaultNamespace);
            var kind = KindClients.For(target.Kind);
            try
            {
                var live = await connection.CallAsync($"read {target}", (k, ct) => kind.Read(k, target, ct), cancellationToken).ConfigureAwait(false);
                if (!Inventory.Owns(live, environment)) continue;
            }
            catch (KubernetesApiException e) when (e.StatusCode is 403 or 404)
            {
                continue;
            }
            var where = target.Namespace.Length > 0 ? $"in {target.Namespace}; " : "";
            kept.Add(new AppliedObject(target, ApplyAction.Kept, where + KeptOnDown));
        }
        return kept;
    }
}
