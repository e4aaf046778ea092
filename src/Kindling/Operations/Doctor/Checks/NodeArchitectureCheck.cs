using k8s;
using Kindling.Images;

namespace Kindling.Operations.Doctor.Checks;

/// <summary>
/// Every node's CPU architecture (the kubelet's <c>kubernetes.io/arch</c> label, kubernetes.io "Well-Known Labels")
/// is one the images are built for; otherwise the container fails with "exec format error".
/// </summary>
internal sealed class NodeArchitectureCheck : IDoctorCheck
{
    private const string ArchLabel = "kubernetes.io/arch";

    public string Name => "node-architecture";

    public bool Preflight => false;

    public async Task<IReadOnlyList<CheckResult>> RunAsync(DoctorContext context, CancellationToken cancellationToken)
    {
        var nodes = await context.NodesAsync().ConfigureAwait(false);
        var archs = nodes.GroupBy(n => n.Metadata.Labels is { } l && l.TryGetValue(ArchLabel, out var a) ? a : "unknown")
            .ToDictionary(g => g.Key, g => g.Select(n => n.Metadata.Name).ToList(), StringComparer.Ordinal);
        var nodeText = string.Join(", ", archs.Select(a => $"{a.Value.Count} {a.Key}"));
        var images = context.Inputs.Images;
        var problems = new List<string>();
        var known = new List<string>();
        foreach (var (which, reference, source) in new[] { ("spark", images.Spark, images.SparkSource), ("jupyter", images.Jupyter, images.JupyterSource) })
        {
            if (source == ImageSource.LocalDefault) continue;
            var remote = await context.RemoteImageAsync(reference, cancellationToken).ConfigureAwait(false);
            var imageArchs = remote.Platforms.Where(p => p.StartsWith("linux/", StringComparison.Ordinal)).Select(p => p.Split('/')[1]).ToHashSet(StringComparer.Ordinal);
            if (imageArchs.Count == 0) continue;
            known.Add($"{which}: {string.Join(", ", imageArchs.Order(StringComparer.Ordinal))}");
            foreach (var (arch, names) in archs.Where(a => a.Key != "unknown" && !imageArchs.Contains(a.Key)))
                problems.Add($"the {which} image is built for {string.Join(", ", imageArchs)} but {names.Count} node(s) are {arch} ({string.Join(", ", names.Take(3))})");
        }
        if (problems.Count > 0)
            return [CheckResult.Fail(Name, string.Join("; ", problems) + ": its pods fail there with \"exec format error\"",
                "rebuild the images for the nodes' platform (images.platform, or a multi-platform build), or keep the pods off those nodes")];
        if (known.Count == 0)
            return [CheckResult.Warn(Name, $"nodes: {nodeText}; the images' platforms are unknown, so they were not compared")];
        return [CheckResult.Ok(Name, $"nodes: {nodeText}; images: {string.Join("; ", known)}")];
    }
}
