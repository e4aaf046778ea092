using k8s;
using k8s.Models;
using Kindling.Resources;

namespace Kindling.Spark;

/// <summary>
/// How a submission ships the executor pod template to its driver, as Spark's <c>PodTemplateConfigMapStep</c> does:
/// the template's text in an immutable ConfigMap <c>&lt;prefix&gt;-podspec-configmap</c> under the key
/// <c>podspec-configmap-key</c>, mounted on the driver as <c>/opt/spark/pod-template/pod-spec-template.yml</c>
/// (volume <c>pod-template-volume</c>), and <c>spark.kubernetes.executor.podTemplateFile</c> pointing there
/// (Constants.scala). Kindling always ships one: the user's template with the restricted Pod Security context
/// filled in where it is unset, or Kindling's own <see cref="ExecutorPodTemplate"/>.
/// </summary>
internal static class ExecutorTemplateShipping
{
    public const string Key = "podspec-configmap-key";
    public const string FileName = "pod-spec-template.yml";
    public const string MountDir = "/opt/spark/pod-template";
    public const string VolumeName = "pod-template-volume";
    public const string MountedPath = MountDir + "/" + FileName;

    /// <summary><c>&lt;resourcePrefix&gt;-podspec-configmap</c>.</summary>
    public static string ConfigMapName(SparkNames names) => $"{names.ResourcePrefix}-podspec-configmap";

    /// <summary>Whether the resolved conf points executors at the shipped template.</summary>
    public static bool IsShipped(IReadOnlyDictionary<string, string> conf) =>
        conf.TryGetValue(SparkConfKeys.ExecutorPodTemplateFile, out var file) && file == MountedPath;

    /// <summary>
    /// The conf the driver reads: the template's mounted path and, for Kindling's own template, the container Spark
    /// must take from it (a user's template keeps the user's container choice).
    /// </summary>
    public static void SetConf(IDictionary<string, string> conf, bool userTemplate)
    {
        conf[SparkConfKeys.ExecutorPodTemplateFile] = MountedPath;
        if (!userTemplate) conf[SparkConfKeys.ExecutorPodTemplateContainerName] = SparkConventions.ExecutorContainerName;
    }

    /// <summary>The template's text: the user's template (restricted defaults filled in) or Kindling's.</summary>
    public static string TemplateYaml(V1Pod? userTemplate, SparkPlacement? placement = null)
    {
        if (userTemplate is null) return ExecutorPodTemplate.Yaml(placement);
        var pod = KubeYaml.Copy(userTemplate);
        pod.Spec ??= new V1PodSpec();
        pod.Spec.Containers ??= [];
        // selectSparkContainer creates the executor container when the template has none; it must get the
        // restricted context too, so it is created here where SparkPodSecurity can reach it.
        if (pod.Spec.Containers.Count == 0) pod.Spec.Containers.Add(new V1Container { Name = SparkConventions.ExecutorContainerName });
        SparkPodSecurity.Apply(pod.Spec);
        // The executor node group's taint must be tolerated and its label selected, as for Kindling's own template;
        // what the user's template already sets is kept.
        if (placement is not null)
        {
            pod.Spec.NodeSelector ??= new Dictionary<string, string>();
            foreach (var (k, v) in placement.ExecutorNodeSelector) pod.Spec.NodeSelector.TryAdd(k, v);
            if (pod.Spec.NodeSelector.Count == 0) pod.Spec.NodeSelector = null;
            if (placement.ExecutorTolerations.Count > 0)
                pod.Spec.Tolerations = [.. pod.Spec.Tolerations ?? [], .. placement.ExecutorTolerations.Where(t => pod.Spec.Tolerations?.Any(u => u.Key == t.Key) != true)];
        }
        return KubeYaml.Serialize(pod);
    }

    /// <summary>The immutable ConfigMap (<c>PodTemplateConfigMapStep.getAdditionalKubernetesResources</c>).</summary>
    public static V1ConfigMap ConfigMap(SparkNames names, string ns, V1Pod? userTemplate, SparkPlacement? placement = null) => new()
    {
        ApiVersion = "v1",
        Kind = "ConfigMap",
        Metadata = new V1ObjectMeta
        {
            Name = ConfigMapName(names),
            NamespaceProperty = ns,
            Labels = new SortedDictionary<string, string>(StringComparer.Ordinal)
            {
                ["app.kubernetes.io/managed-by"] = KindlingLabels.ManagedBy,
                [SparkConventions.AppIdLabel] = names.AppId,
            },
        },
        Immutable = true,
        Data = new Dictionary<string, string> { [Key] = TemplateYaml(userTemplate, placement) },
    };
}
