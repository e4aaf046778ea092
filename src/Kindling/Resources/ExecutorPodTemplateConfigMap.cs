using k8s.Models;
using Kindling.Spark;

namespace Kindling.Resources;

/// <summary>
/// The executor pod template (<see cref="ExecutorPodTemplate"/>) as a ConfigMap mounted into the notebook pod, so
/// every notebook session's executors start from it (<c>spark.kubernetes.executor.podTemplateFile</c> is read by the
/// client-mode driver from its own file system). Mutable on purpose: re-rendering updates the file in place, and
/// the next session picks it up without restarting the notebook pod.
/// </summary>
internal static class ExecutorPodTemplateConfigMap
{
    /// <summary>The key, which is also the file name under <see cref="MountDir"/>.</summary>
    public const string Key = "executor-pod-template.yaml";

    /// <summary>Where the notebook pod mounts it.</summary>
    public const string MountDir = "/opt/kindling/pod-template";

    /// <summary>The path the start-up file passes to Spark.</summary>
    public const string FilePath = MountDir + "/" + Key;

    /// <summary>Volume name in the notebook pod.</summary>
    public const string VolumeName = "executor-pod-template";

    public static V1ConfigMap Build(ManifestInputs inputs) => new()
    {
        ApiVersion = "v1",
        Kind = "ConfigMap",
        Metadata = StandardLabels.Metadata(inputs, new ResourceNames(inputs.Spec.Name).ExecutorPodTemplate, StandardLabels.SparkApp, "executor-pod-template"),
        Data = new SortedDictionary<string, string>(StringComparer.Ordinal) { [Key] = ExecutorPodTemplate.Yaml() },
    };
}
