using k8s;
using k8s.Models;
using Kindling.Resources;

namespace Kindling.Cluster;

/// <summary>
/// Who owns a cluster-scoped object (a StorageClass). The inventory label names the environment; the
/// <see cref="KindlingLabels.Namespace"/> label names its namespace, so an environment of the same name in another
/// namespace, or a class an admin created, is never modified, pruned or deleted.
/// </summary>
internal static class ClusterScopedOwnership
{
    public static bool IsOwnedBy(IKubernetesObject<V1ObjectMeta> obj, string environment, string @namespace) =>
        Inventory.Owns(obj, environment)
        && obj.Metadata.Labels?.TryGetValue(KindlingLabels.Namespace, out var ns) == true && ns == @namespace;
}
