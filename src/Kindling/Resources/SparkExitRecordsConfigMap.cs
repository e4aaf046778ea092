using k8s.Models;
namespace Kindling.Resources;

/// <summary>
/// The ConfigMap that keeps how submitted applications ended (<see cref="Spark.SparkExitRecords"/>). It is created
/// the first time there is something to record, not by <c>up</c>, and it lives exactly as long as the environment's
/// kept state: it carries no inventory label (so <c>up</c> never prunes it and a plain <c>down</c> never deletes it)
/// and is owned through an ownerReference by the notebooks' PVC, so <c>down --purge</c>, which deletes the PVC, has
/// the garbage collector remove it too ("Garbage Collection", Kubernetes docs: dependents of a deleted owner are deleted).
/// </summary>
internal static class SparkExitRecordsConfigMap
{
    public const string Component = "exit-records";

    public static V1ConfigMap Build(string environment, string @namespace, V1PersistentVolumeClaim owner)
    {
        ArgumentNullException.ThrowIfNull(owner);
        var labels = StandardLabels.For(environment, StandardLabels.SparkApp, Component);
        labels.Remove(KindlingLabels.Inventory);
        return new V1ConfigMap
        {
            ApiVersion = "v1",
            Kind = "ConfigMap",
            Metadata = new V1ObjectMeta
            {
                Name = new ResourceNames(environment).SparkExitRecords,
                NamespaceProperty = @namespace,
                Labels = labels,
                OwnerReferences =
                [
                    new V1OwnerReference { ApiVersion = "v1", Kind = "PersistentVolumeClaim", Name = owner.Metadata.Name, Uid = owner.Metadata.Uid },
                ],
            },
            Data = new Dictionary<string, string>(),
        };
    }
}
