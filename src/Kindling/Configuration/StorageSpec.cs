namespace Kindling.Configuration;

/// <summary>
/// <c>storage:</c> in kindling.yaml: an optional S3-compatible object store inside the environment (SeaweedFS, see
/// docs/local.md), for event logs, the History Server and <c>s3a://</c> data on clusters without Amazon S3.
/// </summary>
public sealed record StorageSpec
{
    /// <summary>
    /// Runs the in-cluster store and points every Spark pod's S3A at it. For laptop clusters and <c>other</c>
    /// clusters without S3; on EKS, S3 itself is the store and this is refused.
    /// </summary>
    public bool Local { get; init; }

    /// <summary>
    /// The bucket created in the store; event logs and driver logs go under it unless <c>history.eventLogDir</c>
    /// says otherwise.
    /// </summary>
    public string Bucket { get; init; } = "kindling";

    /// <summary>Size of the store's PersistentVolumeClaim (Kubernetes quantity); the cluster's default class provides it.</summary>
    public string Size { get; init; } = "20Gi";

    /// <summary>StorageClass of the store's PVC; null uses the cluster's default class.</summary>
    public string? StorageClass { get; init; }

    /// <summary>The SeaweedFS image; change it to use a mirror of the same release (Kindling passes <c>weed mini</c> flags of that release).</summary>
    public string Image { get; init; } = DefaultImage;

    /// <summary>CPU request and limit of the store (Kubernetes quantity).</summary>
    public string Cpu { get; init; } = "500m";

    /// <summary>Memory request and limit of the store (Kubernetes quantity).</summary>
    public string Memory { get; init; } = "1Gi";

    /// <summary>
    /// SeaweedFS's own image on Docker Hub (the project's <c>docker/Dockerfile.go_build</c>, published by its release
    /// workflow), pinned to a release so every <c>up</c> runs the same server.
    /// </summary>
    public const string DefaultImage = "chrislusf/seaweedfs:4.44";
}
