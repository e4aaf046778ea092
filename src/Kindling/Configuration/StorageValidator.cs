namespace Kindling.Configuration;

/// <summary>Checks of <c>storage:</c>; part of <see cref="SpecValidator"/>.</summary>
public static class StorageValidator
{
    internal static void Validate(EnvironmentSpec spec, Action<string, string?> check)
    {
        var storage = spec.Storage;
        check("storage.bucket", S3Buckets.Problem(storage.Bucket));
        check("storage.size", Formats.MemoryQuantity(storage.Size));
        check("storage.cpu", Formats.PositiveQuantity(storage.Cpu));
        check("storage.memory", Formats.MemoryQuantity(storage.Memory));
        check("storage.image", Formats.ImageReference(storage.Image));
        if (storage.StorageClass is { } storageClass) check("storage.storageClass", Formats.Dns1123Subdomain(storageClass));
        if (storage.Local && spec.Cluster.Kind == ClusterKinds.Eks) check("storage.local", OnEksProblem);
    }

    /// <summary>
    /// The same refusal when the cluster was detected as EKS rather than named in <c>cluster.kind</c> (checked by
    /// <c>up</c> before it changes anything), or null. The fix names the override, in case the detection is wrong.
    /// </summary>
    public static InputError? OnDetectedCluster(EnvironmentSpec spec, string detectedKind, string evidence)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (!spec.Storage.Local || detectedKind != ClusterKinds.Eks || spec.Cluster.Kind == ClusterKinds.Eks) return null;
        return new InputError(null, "storage.local",
            $"{OnEksProblem} (the cluster was detected as EKS: {evidence}; if it is not, set cluster.kind: other)");
    }

    /// <summary>
    /// Why the in-cluster store is refused on EKS. Its S3A endpoint applies to every <c>s3a://</c> URL, so on EKS it
    /// would silently send the buckets of <c>aws.s3Buckets</c> (granted through IRSA) to a single pod's volume
    /// instead of S3, which is the durable, shared store Kindling already wires there.
    /// </summary>
    public const string OnEksProblem =
        "is true but the cluster is EKS, where Amazon S3 is the object store: an in-cluster store would take over every s3a:// URL " +
        "(aws.s3Buckets included) and keep the data on one pod's volume; remove storage.local and list your buckets in aws.s3Buckets";
}
