using k8s.Models;

namespace Kindling.Cluster;

/// <summary>
/// Which StorageClass a claim without <c>storageClassName</c> gets: the one annotated
/// <c>storageclass.kubernetes.io/is-default-class: "true"</c> (the beta annotation is still honoured), the newest
/// when several are (the DefaultStorageClass admission plugin, pkg/volume/util/storageclass.GetDefaultClass).
/// </summary>
internal static class DefaultStorageClass
{
    public const string Annotation = "storageclass.kubernetes.io/is-default-class";
    private const string BetaAnnotation = "storageclass.beta.kubernetes.io/is-default-class";

    public static bool IsDefault(V1StorageClass storageClass) =>
        storageClass.Metadata.Annotations is { } a
        && (a.TryGetValue(Annotation, out var v) && v == "true" || a.TryGetValue(BetaAnnotation, out var beta) && beta == "true");

    public static V1StorageClass? Of(IEnumerable<V1StorageClass> storageClasses) =>
        storageClasses.Where(IsDefault)
            .OrderByDescending(c => c.Metadata.CreationTimestamp ?? DateTime.MinValue)
            .ThenBy(c => c.Metadata.Name, StringComparer.Ordinal)
            .FirstOrDefault();
}
