using System.Globalization;
using k8s;
using k8s.Models;

namespace Kindling.Resources;

/// <summary>Writes manifests as YAML files, one object per file, named in apply order.</summary>
public static class ManifestWriter
{
    /// <summary>The folder under the output directory.</summary>
    public const string Folder = "k8s";

    /// <summary>
    /// <c>k8s/NN-&lt;kind&gt;-&lt;name&gt;.yaml</c>, NN being the position in <paramref name="manifests"/>, so a plain
    /// <c>kubectl apply -f k8s/</c> (which goes in file-name order) applies them in the right order too.
    /// Label and annotation maps are written in ordinal key order whatever dictionary the object was built with,
    /// so equal objects always give equal bytes. The given objects are not modified.
    /// </summary>
    public static IReadOnlyList<RenderedFile> Render(IReadOnlyList<Manifest> manifests)
    {
        ArgumentNullException.ThrowIfNull(manifests);
        var files = new List<RenderedFile>(manifests.Count);
        for (var i = 0; i < manifests.Count; i++)
        {
            var obj = manifests[i].Object;
            var number = i.ToString("00", CultureInfo.InvariantCulture);
            var content = Serialize(obj);
            if (manifests[i].Comment is { } comment)
                content = string.Concat(comment.Split('\n').Select(line => "# " + line + "\n")) + content;
            files.Add(new RenderedFile($"{Folder}/{number}-{obj.Kind.ToLowerInvariant()}-{obj.Metadata.Name}.yaml", content)
            {
                Private = obj is V1Secret { Data.Count: > 0 } or V1Secret { StringData.Count: > 0 },
            });
        }

        return files;
    }

    private static string Serialize(IKubernetesObject<V1ObjectMeta> obj)
    {
        // Canonicalise a copy (a YAML round trip), never the caller's object.
        var copy = (IKubernetesObject<V1ObjectMeta>)KubernetesYaml.LoadAllFromString(KubernetesYaml.Serialize(obj)).Single();
        SortMaps(copy.Metadata);
        if (copy is V1Deployment deployment) SortMaps(deployment.Spec?.Template?.Metadata);
        var content = KubernetesYaml.Serialize(copy).Replace("\r\n", "\n");
        return content.EndsWith('\n') ? content : content + "\n";
    }

    private static void SortMaps(V1ObjectMeta? metadata)
    {
        if (metadata is null) return;
        if (metadata.Labels is not null) metadata.Labels = new SortedDictionary<string, string>(metadata.Labels, StringComparer.Ordinal);
        if (metadata.Annotations is not null) metadata.Annotations = new SortedDictionary<string, string>(metadata.Annotations, StringComparer.Ordinal);
    }
}
