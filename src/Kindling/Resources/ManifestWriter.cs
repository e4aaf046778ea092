using System.Text.Json.Nodes;
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
        // Canonicalise the JSON tree (never the caller's object): labels and annotations in ordinal key order.
        var tree = JsonNode.Parse(KubernetesJson.Serialize(obj))!;
        SortMaps(tree["metadata"]);
        if (obj is V1Deployment) SortMaps(tree["spec"]?["template"]?["metadata"]);
        var content = KubeYaml.Serialize(tree).Replace("\r\n", "\n");
        return content.EndsWith('\n') ? content : content + "\n";
    }

    private static void SortMaps(JsonNode? metadata)
    {
        if (metadata is not JsonObject meta) return;
        foreach (var key in (string[])["labels", "annotations"])
        {
            if (meta[key] is not JsonObject map) continue;
            var sorted = new JsonObject();
            foreach (var (name, value) in map.OrderBy(p => p.Key, StringComparer.Ordinal).ToList())
            {
                map.Remove(name);
                sorted[name] = value;
            }
            meta[key] = sorted;
        }
    }
}
