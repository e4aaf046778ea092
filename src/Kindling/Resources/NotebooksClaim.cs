using k8s.Models;

namespace Kindling.Resources;

/// <summary>The notebooks' volume. <c>kindling down</c> keeps it unless <c>--purge</c> is given.</summary>
internal static class NotebooksClaim
{
    public static V1PersistentVolumeClaim Build(ManifestInputs inputs) => new()
    {
        ApiVersion = "v1",
        Kind = "PersistentVolumeClaim",
        Metadata = StandardLabels.Metadata(inputs, new ResourceNames(inputs.Spec.Name).NotebooksClaim, StandardLabels.JupyterApp, "storage"),
        Spec = new V1PersistentVolumeClaimSpec
        {
            // One notebook pod mounts it; ReadWriteOnce is what every block-storage class (EBS gp2/gp3) offers.
            AccessModes = ["ReadWriteOnce"],
            // notebook.storageClass, else Kindling's gp3 class on its EKS, else unset so the cluster's default
            // StorageClass is assigned by the DefaultStorageClass admission plugin.
            StorageClassName = NotebookStorageClass.ForClaim(inputs),
            Resources = new V1VolumeResourceRequirements
            {
                Requests = new SortedDictionary<string, ResourceQuantity>(StringComparer.Ordinal)
                {
                    ["storage"] = new ResourceQuantity(inputs.Spec.Notebook.StorageSize),
                },
            },
        },
    };
}
