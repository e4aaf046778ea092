using k8s.Models;

namespace Kindling.Resources;

/// <summary>The store's volume. <c>kindling down</c> keeps it unless <c>--purge</c> is given, as the notebooks' volume.</summary>
internal static class ObjectStoreClaim
{
    public static V1PersistentVolumeClaim Build(ManifestInputs inputs) => new()
    {
        ApiVersion = "v1",
        Kind = "PersistentVolumeClaim",
        Metadata = StandardLabels.Metadata(inputs, ObjectStoreNames.Of(inputs.Spec.Name), ObjectStoreNames.App, "storage"),
        Spec = new V1PersistentVolumeClaimSpec
        {
            // One store pod mounts it.
            AccessModes = ["ReadWriteOnce"],
            // storage.storageClass, else unset: the DefaultStorageClass admission plugin assigns the cluster's
            // default class (standard on kind/minikube, local-path on k3d/Rancher Desktop, hostpath on Docker Desktop).
            StorageClassName = inputs.Spec.Storage.StorageClass,
            Resources = new V1VolumeResourceRequirements
            {
                Requests = new SortedDictionary<string, ResourceQuantity>(StringComparer.Ordinal)
                {
                    ["storage"] = new ResourceQuantity(inputs.Spec.Storage.Size),
                },
            },
        },
    };
}
