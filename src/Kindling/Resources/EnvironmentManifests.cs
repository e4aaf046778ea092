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
        // The StorageClass exists before the PVC that names it, so the claim is provisioned as soon as it is scheduled.
        List<Manifest> storage = NotebookStorageClass.IsRendered(inputs) ? [new(NotebookStorageClass.Build(inputs), ApplyPhase.Namespace)] : [];
        List<Manifest> manifests =
        [
            new(EnvironmentNamespace.Build(inputs), ApplyPhase.Namespace) { CreateOnly = true },
            .. storage,
            new(SparkServiceAccount.Build(inputs), ApplyPhase.Foundation),
            new(SparkRole.Build(inputs), ApplyPhase.Foundation),
            new(SparkRoleBinding.Build(inputs), ApplyPhase.Foundation),
            JupyterTokenSecret.Manifest(inputs),
            new(NotebooksClaim.Build(inputs), ApplyPhase.Foundation),
            new(ExecutorPodTemplateConfigMap.Build(inputs), ApplyPhase.Foundation),
            new(JupyterService.Build(inputs), ApplyPhase.Network),
            new(DriverService.Build(inputs), ApplyPhase.Network),
            new(NotebookNetworkPolicy.Build(inputs), ApplyPhase.Network),
            new(JupyterDeployment.Build(inputs), ApplyPhase.Workload),
            .. ClusterAutoscaler.Build(inputs),
        ];
        if (SparkConfSecret.Manifest(inputs) is { } confSecret)
            manifests.Insert(manifests.FindIndex(m => m.Phase == ApplyPhase.Network), confSecret);
        manifests.AddRange(HistoryServerManifests.Build(inputs));
        manifests.AddRange(ObjectStoreManifests.Build(inputs));
        return manifests;
    }
}
