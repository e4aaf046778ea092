namespace Kindling.Resources;

/// <summary>The environment's Kubernetes objects, as a pure function of <see cref="ManifestInputs"/>.</summary>
public static class EnvironmentManifests
{
    /// <summary>
    /// Every object in apply order: the Namespace first; then the identity, token and volume the workload refers
    /// to; then Services and NetworkPolicy, so the driver host resolves and executors are admitted the moment the
    /// notebook starts; the Deployment last.
    /// </summary>
    public static IReadOnlyList<Manifest> Build(ManifestInputs inputs)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        List<Manifest> manifests =
        [
            new(EnvironmentNamespace.Build(inputs), ApplyPhase.Namespace),
            new(SparkServiceAccount.Build(inputs), ApplyPhase.Foundation),
            new(SparkRole.Build(inputs), ApplyPhase.Foundation),
            new(SparkRoleBinding.Build(inputs), ApplyPhase.Foundation),
            new(JupyterTokenSecret.Build(inputs), ApplyPhase.Foundation),
            new(NotebooksClaim.Build(inputs), ApplyPhase.Foundation),
            new(ExecutorPodTemplateConfigMap.Build(inputs), ApplyPhase.Foundation),
            new(JupyterService.Build(inputs), ApplyPhase.Network),
            new(DriverService.Build(inputs), ApplyPhase.Network),
            new(NotebookNetworkPolicy.Build(inputs), ApplyPhase.Network),
            new(JupyterDeployment.Build(inputs), ApplyPhase.Workload),
        ];
        manifests.AddRange(HistoryServerManifests.Build(inputs));
        return manifests;
    }
}
