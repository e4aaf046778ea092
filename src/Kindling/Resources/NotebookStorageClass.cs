using k8s.Models;
using Kindling.Configuration;

namespace Kindling.Resources;

/// <summary>
/// The notebooks' StorageClass on Kindling's EKS. EKS clusters created on Kubernetes 1.30 or later have no default
/// StorageClass and no in-tree EBS provisioner, so the class is rendered with the EBS CSI driver the Terraform module
/// installs as an add-on (EKS user guide, "Store Kubernetes volumes with Amazon EBS"). Parameters are the driver's
/// own (aws-ebs-csi-driver docs/parameters.md): <c>type: gp3</c>, <c>encrypted: "true"</c> with the account's EBS
/// key. <c>WaitForFirstConsumer</c> creates the volume in the availability zone the notebook pod is scheduled to,
/// which an Immediate class gets wrong in a 3-AZ node group; expansion lets <c>notebook.storageSize</c> grow.
/// </summary>
internal static class NotebookStorageClass
{
    /// <summary>The EBS CSI driver's provisioner name.</summary>
    public const string EbsCsiProvisioner = "ebs.csi.aws.com";

    /// <summary>
    /// The class name. A StorageClass is cluster-scoped, so it names both the environment and its namespace: two
    /// environments on one cluster never share (or prune) each other's class.
    /// </summary>
    public static string Name(EnvironmentSpec spec) =>
        spec.Name == spec.Namespace ? $"{spec.Name}-gp3" : $"{spec.Name}-{spec.Namespace}-gp3";

    /// <summary>Whether the environment renders its own class: on Kindling's EKS, when kindling.yaml names none.</summary>
    public static bool IsRendered(ManifestInputs inputs) => inputs.OnKindlingEks && inputs.Spec.Notebook.StorageClass is null;

    /// <summary>The class the notebooks' PVC names; null leaves it unset so the cluster's default class applies.</summary>
    public static string? ForClaim(ManifestInputs inputs) =>
        inputs.Spec.Notebook.StorageClass ?? (IsRendered(inputs) ? Name(inputs.Spec) : null);

    public static V1StorageClass Build(ManifestInputs inputs)
    {
        var labels = StandardLabels.For(inputs.Spec.Name, StandardLabels.JupyterApp, "storage");
        labels[KindlingLabels.Namespace] = inputs.Spec.Namespace;
        return new V1StorageClass
        {
            ApiVersion = "storage.k8s.io/v1",
            Kind = "StorageClass",
            Metadata = new V1ObjectMeta { Name = Name(inputs.Spec), Labels = labels },
            Provisioner = EbsCsiProvisioner,
            Parameters = new SortedDictionary<string, string>(StringComparer.Ordinal)
            {
                ["encrypted"] = "true",
                ["type"] = "gp3",
            },
            // Delete: 'kindling down --purge' removes the notebooks' PVC and with it the EBS volume; a plain
            // 'down' keeps the PVC, so the volume stays.
            ReclaimPolicy = "Delete",
            VolumeBindingMode = "WaitForFirstConsumer",
            AllowVolumeExpansion = true,
        };
    }
}
