using Kindling.Resources;
using k8s;
using k8s.Models;

namespace Kindling.Spark;

/// <summary>
/// The executor pod template Kindling gives Spark (<c>spark.kubernetes.executor.podTemplateFile</c>): the only way
/// to put a securityContext, tolerations or node affinity on executor pods, since Spark has no conf keys for them.
/// Spark starts every executor pod from this template and keeps what its feature steps do not set
/// (<c>KubernetesUtils.loadPodFromTemplate</c> then <c>BasicExecutorFeatureStep</c> edit the template's pod and its
/// <c>spark-kubernetes-executor</c> container), so the restricted security context survives.
/// Pure function of its inputs; extend it here (e.g. tolerations and node selectors of an executor node group).
/// </summary>
public static class ExecutorPodTemplate
{
    /// <summary>The template as a Pod object; <paramref name="placement"/> adds the executor node group's selector and toleration.</summary>
    public static V1Pod Build(SparkPlacement? placement = null) => new()
    {
        ApiVersion = "v1",
        Kind = "Pod",
        Metadata = new V1ObjectMeta
        {
            // An Istio sidecar would keep an executor pod Running after the executor exits.
            Annotations = new SortedDictionary<string, string>(StringComparer.Ordinal) { [SparkConventions.IstioInjectAnnotation] = "false" },
        },
        Spec = new V1PodSpec
        {
            SecurityContext = SparkPodSecurity.Pod(),
            // Docker-link env for every Service in the namespace is useless to Spark and can overflow the env.
            EnableServiceLinks = false,
            // Spark's feature steps merge spark.kubernetes.{,executor.}node.selector.* into the template's selector
            // and keep its tolerations (BasicExecutorFeatureStep), so the executor node group's taint is tolerated here.
            NodeSelector = placement is { ExecutorNodeSelector.Count: > 0 } ? new SortedDictionary<string, string>(placement.ExecutorNodeSelector.ToDictionary(), StringComparer.Ordinal) : null,
            Tolerations = placement is { ExecutorTolerations.Count: > 0 } ? [.. placement.ExecutorTolerations] : null,
            Containers =
            [
                new V1Container
                {
                    // selectSparkContainer takes the container of this name (spark.kubernetes.executor.podTemplateContainerName
                    // is set to it too), so the security context lands on the executor container itself.
                    Name = SparkConventions.ExecutorContainerName,
                    SecurityContext = SparkPodSecurity.Container(),
                },
            ],
        },
    };

    /// <summary>The template as the YAML file Spark reads.</summary>
    public static string Yaml(SparkPlacement? placement = null) => KubeYaml.Serialize(Build(placement));
}
