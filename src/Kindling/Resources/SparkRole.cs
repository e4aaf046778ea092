using k8s.Models;

namespace Kindling.Resources;

/// <summary>
/// The namespaced Role a Spark driver needs (DESIGN §4): it creates, watches and deletes executor pods, the
/// driver ConfigMap and headless Service, and PVC-backed local dirs. There is no ClusterRole and no wildcard.
/// </summary>
internal static class SparkRole
{
    /// <summary>Core-group resources a driver manages, plus <c>pods/log</c> for <c>kindling logs</c>.</summary>
    public static readonly IReadOnlyList<string> Resources = ["pods", "services", "configmaps", "persistentvolumeclaims", "pods/log"];

    /// <summary>
    /// <c>patch</c> is needed because Spark 3.5+ creates resources with server-side apply;
    /// <c>deletecollection</c> because executors are removed by label selector when a session stops, which the
    /// Kubernetes client may send as one collection delete.
    /// </summary>
    public static readonly IReadOnlyList<string> Verbs = ["get", "list", "watch", "create", "update", "patch", "delete", "deletecollection"];

    public static V1Role Build(ManifestInputs inputs) => HistoryServerManifests.WithProxyRule(inputs, new V1Role
    {
        ApiVersion = "rbac.authorization.k8s.io/v1",
        Kind = "Role",
        Metadata = StandardLabels.Metadata(inputs, new ResourceNames(inputs.Spec.Name).Role, StandardLabels.SparkApp, "rbac"),
        Rules =
        [
            new V1PolicyRule
            {
                // "" is the core API group.
                ApiGroups = [""],
                Resources = [.. Resources],
                Verbs = [.. Verbs],
            },
        ],
    });
}
