namespace Kindling.Configuration;

/// <summary>
/// <c>cluster:</c> in kindling.yaml: which kind of Kubernetes cluster the environment runs on. <c>auto</c> (the
/// default) detects it from the kubeconfig context; a value names it and overrides the detection.
/// </summary>
public sealed record ClusterSpec
{
    /// <summary>
    /// <c>auto</c>, <c>eks</c>, <c>kind</c>, <c>minikube</c>, <c>k3d</c>, <c>docker-desktop</c>,
    /// <c>rancher-desktop</c>, <c>orbstack</c> or <c>other</c> (see <see cref="ClusterKinds"/>).
    /// </summary>
    public string Kind { get; init; } = ClusterKinds.Auto;
}

/// <summary>The kinds of cluster Kindling knows, by their <c>cluster.kind</c> names.</summary>
public static class ClusterKinds
{
    /// <summary>Detect from the kubeconfig context.</summary>
    public const string Auto = "auto";

    /// <summary>Amazon EKS: Kindling provisions it with Terraform (<c>infra apply</c>).</summary>
    public const string Eks = "eks";

    /// <summary>kind (Kubernetes in Docker).</summary>
    public const string Kind = "kind";

    /// <summary>minikube.</summary>
    public const string Minikube = "minikube";

    /// <summary>k3d (k3s in Docker).</summary>
    public const string K3d = "k3d";

    /// <summary>Docker Desktop's Kubernetes.</summary>
    public const string DockerDesktop = "docker-desktop";

    /// <summary>Rancher Desktop (k3s).</summary>
    public const string RancherDesktop = "rancher-desktop";

    /// <summary>OrbStack's Kubernetes.</summary>
    public const string OrbStack = "orbstack";

    /// <summary>Any other existing cluster: Kindling provisions nothing, images go to <c>images.registry</c>.</summary>
    public const string Other = "other";

    /// <summary>Every value <c>cluster.kind</c> accepts.</summary>
    public static IReadOnlyList<string> All { get; } = [Auto, Eks, Kind, Minikube, K3d, DockerDesktop, RancherDesktop, OrbStack, Other];

    /// <summary>The clusters that run on this machine: images are loaded into them, never pushed.</summary>
    public static IReadOnlyList<string> Local { get; } = [Kind, Minikube, K3d, DockerDesktop, RancherDesktop, OrbStack];

    /// <summary>True for a laptop cluster.</summary>
    public static bool IsLocal(string? kind) => kind is not null && Local.Contains(kind);
}
