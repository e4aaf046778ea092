using System.Globalization;
using k8s;

namespace Kindling.Resources;

/// <summary>Writes manifests as YAML files, one object per file, named in apply order.</summary>
public static class ManifestWriter
{
    /// <summary>The folder under the output directory.</summary>
    public const string Folder = "k8s";

    /// <summary>
    /// <c>k8s/NN-&lt;kind&gt;-&lt;name&gt;.yaml</c>, NN being the position in <paramref name="manifests"/>, so a plain
    /// <c>kubectl apply -f k8s/</c> (which goes in file-name order) applies them in the right order too.
    /// </summary>
    public static IReadOnlyList<RenderedFile> Render(IReadOnlyList<Manifest> manifests)
    {
        ArgumentNullException.ThrowIfNull(manifests);
        var files = new List<RenderedFile>(manifests.Count);
        for (var i = 0; i < manifests.Count; i++)
        {
            var obj = manifests[i].Object;
            var kind = obj.Kind.ToLowerInvariant();
            var name = i.ToString("00", CultureInfo.InvariantCulture);
            var content = KubernetesYaml.Serialize(obj).Replace("\r\n", "\n");
            if (!content.EndsWith('\n')) content += "\n";
            files.Add(new RenderedFile($"{Folder}/{name}-{kind}-{obj.Metadata.Name}.yaml", content));
        }

        return files;
    }
}
