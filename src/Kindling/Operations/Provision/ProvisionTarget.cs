using Kindling.Cluster;
using Kindling.Configuration;

namespace Kindling.Operations.Provision;

/// <summary>Where <c>up --provision</c> takes the environment, decided before anything runs.</summary>
/// <param name="Cluster">The kind of cluster, and why.</param>
internal sealed record ProvisionTarget(DetectedCluster Cluster)
{
    /// <summary>
    /// <c>cluster.kind</c> when set. Otherwise a laptop cluster in the current context is used as it is; EKS is
    /// provisioned when this config's Terraform outputs are saved (Kindling's cluster exists) or when there is no
    /// kubeconfig context at all; any other current context (someone else's EKS included) is used as an existing
    /// cluster: creating a new EKS cluster is never guessed, it is asked for with <c>cluster.kind: eks</c>.
    /// </summary>
    public static ProvisionTarget Decide(EnvironmentContext environment)
    {
        var detected = environment.Cluster;
        if (environment.Spec.Cluster.Kind != ClusterKinds.Auto || detected.IsLocal) return new ProvisionTarget(detected);
        if (KindlingEks.RunsOn(environment.Spec, environment.State))
            return new ProvisionTarget(new DetectedCluster(ClusterKinds.Eks, null,
                $"Terraform outputs of EKS cluster '{environment.Spec.Aws.ClusterName}' are saved in {environment.StateStore.FilePath}"));
        if (!HasContext(environment))
            return new ProvisionTarget(new DetectedCluster(ClusterKinds.Eks, null, "there is no kubeconfig context yet, so Kindling provisions EKS"));
        if (detected.Kind == ClusterKinds.Eks)
            return new ProvisionTarget(new DetectedCluster(ClusterKinds.Other, null,
                $"{detected.Evidence}, but not one this config provisioned: it is used as an existing cluster (cluster.kind: eks provisions Kindling's own)"));
        return new ProvisionTarget(detected);
    }

    // Read, not connected: opening a connection would run the context's credential plugin.
    internal static bool HasContext(EnvironmentContext environment) =>
        environment.ConnectionSettings is { } settings && KubeconfigPeek.Read(settings) is { Server.Length: > 0 };
}
