namespace Kindling.Configuration;

/// <summary>
/// The one answer to "does this environment run on the EKS cluster Kindling provisioned?". Everything that only
/// makes sense there (the Cluster Autoscaler, the gp3 StorageClass of the EBS CSI add-on, doctor's EKS checks,
/// executor placement on the executor node group) asks this, so they never disagree.
/// </summary>
/// <remarks>
/// It decides from local state, never from the cluster: (1) <c>.kindling/state.json</c> holds the Terraform
/// outputs saved by <c>kindling infra apply</c>/<c>infra output</c>, so Kindling created the cluster; (2) the
/// saved cluster name is <c>aws.clusterName</c>, so the outputs belong to this config; and (3) when a connection
/// is known (<c>up</c>, <c>doctor</c>), its API server URL is the saved cluster endpoint, so a kind, minikube or any
/// other kubeconfig context used with the same kindling.yaml is treated as "any cluster". Without a connection
/// (<c>render</c>), (1) and (2) decide.
/// </remarks>
public static class KindlingEks
{
    /// <summary>True when the environment runs on the EKS cluster Kindling provisioned.</summary>
    /// <param name="spec">The environment.</param>
    /// <param name="state">Local state (Terraform outputs).</param>
    /// <param name="apiServer">The API server URL of the current connection, or null when there is none.</param>
    public static bool RunsOn(EnvironmentSpec spec, LocalState state, string? apiServer = null)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(state);
        // A cluster named in kindling.yaml as a laptop or other cluster is never Kindling's EKS, whatever the state says.
        if (spec.Cluster.Kind != ClusterKinds.Auto && spec.Cluster.Kind != ClusterKinds.Eks) return false;
        if (state.Terraform is not { } outputs) return false;
        if (!string.Equals(outputs.ClusterName, spec.Aws.ClusterName, StringComparison.Ordinal)) return false;
        return apiServer is null || SameServer(apiServer, outputs.ClusterEndpoint);
    }

    // EKS reports the endpoint as https://<id>.<suffix>.<region>.eks.amazonaws.com; kubeconfigs may add a
    // trailing slash or an explicit :443, and host names are case-insensitive.
    private static bool SameServer(string a, string b) =>
        Uri.TryCreate(a.Trim(), UriKind.Absolute, out var x) && Uri.TryCreate(b.Trim(), UriKind.Absolute, out var y)
        && string.Equals(x.Scheme, y.Scheme, StringComparison.OrdinalIgnoreCase)
        && string.Equals(x.Host, y.Host, StringComparison.OrdinalIgnoreCase)
        && x.Port == y.Port
        && x.AbsolutePath.TrimEnd('/') == y.AbsolutePath.TrimEnd('/');
}
