namespace Kindling.Resources;

/// <summary>The in-cluster object store's objects, present only with <c>storage.local: true</c>.</summary>
internal static class ObjectStoreManifests
{
    public static IEnumerable<Manifest> Build(ManifestInputs inputs)
    {
        if (!inputs.Spec.Storage.Local) yield break;
        yield return ObjectStoreSecret.Manifest(inputs);
        yield return new(ObjectStoreClaim.Build(inputs), ApplyPhase.Foundation);
        yield return new(ObjectStoreService.Build(inputs), ApplyPhase.Network);
        yield return new(ObjectStoreNetworkPolicy.Build(inputs), ApplyPhase.Network);
        yield return new(ObjectStoreDeployment.Build(inputs), ApplyPhase.Workload);
    }
}
