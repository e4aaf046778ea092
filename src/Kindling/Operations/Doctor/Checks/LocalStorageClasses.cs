using Kindling.Configuration;

namespace Kindling.Operations.Doctor.Checks;

/// <summary>
/// The default StorageClass each laptop cluster ships, and how to get it back when it is missing: kind installs
/// rancher/local-path-provisioner as class <c>standard</c> (kind's installstorage action); minikube's
/// <c>default-storageclass</c> and <c>storage-provisioner</c> addons give <c>standard</c>; k3s (k3d, Rancher Desktop,
/// OrbStack) deploys <c>local-path</c> unless started with <c>--disable=local-storage</c> (k3s
/// manifests/local-storage.yaml); Docker Desktop's Kubernetes has <c>hostpath</c>.
/// </summary>
internal static class LocalStorageClasses
{
    /// <summary>The class the laptop cluster <paramref name="kind"/> makes default, or null for other clusters.</summary>
    public static string? Expected(string kind) => kind switch
    {
        ClusterKinds.Kind or ClusterKinds.Minikube => "standard",
        ClusterKinds.K3d or ClusterKinds.RancherDesktop or ClusterKinds.OrbStack => "local-path",
        ClusterKinds.DockerDesktop => "hostpath",
        _ => null,
    };

    /// <summary>How to restore the laptop cluster's own default class.</summary>
    public static string? Restore(string kind) => kind switch
    {
        ClusterKinds.Kind => "kind creates the class 'standard' (local-path-provisioner) with every cluster: recreate it with 'kind create cluster', or reinstall rancher/local-path-provisioner",
        ClusterKinds.Minikube => "minikube addons enable default-storageclass && minikube addons enable storage-provisioner",
        ClusterKinds.K3d => "k3s installs the class 'local-path' unless started with --disable=local-storage: recreate the cluster without '--k3s-arg --disable=local-storage'",
        ClusterKinds.RancherDesktop or ClusterKinds.OrbStack => "its k3s installs the class 'local-path' unless local storage was disabled: reset the Kubernetes cluster in its settings",
        ClusterKinds.DockerDesktop => "reset Docker Desktop's Kubernetes cluster (Settings > Kubernetes), which recreates the class 'hostpath'",
        _ => null,
    };
}
