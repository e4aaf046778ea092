using Kindling.Resources;
using k8s;
using k8s.Models;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Kindling.Spark;

/// <summary>The pod templates of a submission, already read from disk (<c>spark.kubernetes.{driver,executor}.podTemplateFile</c>).</summary>
/// <param name="Driver">The driver's template, if one is given.</param>
/// <param name="Executor">The executor's template, if one is given; otherwise Kindling's <see cref="ExecutorPodTemplate"/>.</param>
public sealed record SparkPodTemplates(V1Pod? Driver, V1Pod? Executor)
{
    /// <summary>No templates.</summary>
    public static SparkPodTemplates None { get; } = new(null, null);
}

/// <summary>
/// Pod templates as Spark reads them: the file must hold one Pod (fabric8's <c>pods().load(file)</c>, wrapped by
/// <c>KubernetesUtils.loadPodFromTemplate</c>); the Spark container is the one named by
/// <c>spark.kubernetes.*.podTemplateContainerName</c>, else the first container, else a new one
/// (<c>KubernetesUtils.selectSparkContainer</c>); the other containers stay as sidecars.
/// </summary>
public static class SparkPodTemplate
{
    /// <summary>Parses a template.</summary>
    /// <param name="yaml">The file's text.</param>
    /// <param name="path">What the error is located at, e.g. <c>--conf spark.kubernetes.driver.podTemplateFile</c>.</param>
    /// <param name="file">The file name, for messages.</param>
    /// <exception cref="InvalidInputException">The text is not one Pod manifest.</exception>
    public static V1Pod Parse(string yaml, string path, string file)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(yaml));
        }
        catch (YamlException e)
        {
            throw new InvalidInputException(path, $"'{file}' is not valid YAML (line {e.Start.Line}, column {e.Start.Column}): {e.Message}; a pod template is a Pod manifest (apiVersion: v1, kind: Pod)");
        }
        if (stream.Documents.Count != 1 || stream.Documents[0].RootNode is not YamlMappingNode root)
            throw new InvalidInputException(path, $"'{file}' must hold exactly one Pod manifest (apiVersion: v1, kind: Pod), found {(stream.Documents.Count == 1 ? "something that is not a mapping" : $"{stream.Documents.Count} documents")}");
        var kind = root.Children.TryGetValue(new YamlScalarNode("kind"), out var k) ? (k as YamlScalarNode)?.Value : null;
        if (kind != "Pod")
            throw new InvalidInputException(path, $"'{file}' is {(kind is null ? "a manifest without a kind" : $"a {kind}")}, not a Pod; a pod template is a Pod manifest (apiVersion: v1, kind: Pod) whose spec Spark starts from");
        try
        {
            var pod = KubeYaml.Deserialize<V1Pod>(yaml);
            pod.Spec ??= new V1PodSpec();
            return pod;
        }
        catch (Exception e) when (e is YamlException or System.Text.Json.JsonException or FormatException or InvalidOperationException or ArgumentException)
        {
            var where = e switch
            {
                YamlException y => $" (line {y.Start.Line}, column {y.Start.Column})",
                System.Text.Json.JsonException { Path: { Length: > 0 } field } => $" (at {field.TrimStart('$', '.')})",
                _ => "",
            };
            throw new InvalidInputException(path, $"'{file}' is not a valid Pod{where}: {(e.InnerException ?? e).Message.Split('\n')[0]}");
        }
    }

    /// <summary>
    /// A deep copy of <paramref name="template"/> without its Spark container, and that container (or a new one),
    /// exactly as <c>KubernetesUtils.selectSparkContainer</c> splits them.
    /// </summary>
    public static (V1Pod Pod, V1Container Container) SelectSparkContainer(V1Pod? template, string? containerName)
    {
        if (template is null) return (new V1Pod { Metadata = new V1ObjectMeta(), Spec = new V1PodSpec { Containers = [] } }, new V1Container());
        var pod = KubeYaml.Copy(template);
        pod.Metadata ??= new V1ObjectMeta();
        pod.Spec ??= new V1PodSpec();
        var containers = pod.Spec.Containers?.ToList() ?? [];
        // A named container is taken only if exactly one has that name; otherwise Spark falls back to the first.
        var named = containerName is null ? [] : containers.Where(c => c.Name == containerName).ToList();
        var spark = named.Count == 1 ? named[0] : containers.FirstOrDefault();
        if (spark is null) return (pod, new V1Container());
        containers.Remove(spark);
        pod.Spec.Containers = containers;
        return (pod, spark);
    }
}
