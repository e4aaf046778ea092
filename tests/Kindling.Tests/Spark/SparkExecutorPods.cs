using System.Globalization;
using k8s;
using k8s.Models;
using Kindling.Spark;

namespace Kindling.Tests.Spark;

/// <summary>
/// Executor pods as Spark's driver builds them from the executor pod template (<c>KubernetesExecutorBuilder</c>:
/// <c>KubernetesUtils.loadPodFromTemplate</c>, then <c>BasicExecutorFeatureStep</c> and <c>LocalDirsFeatureStep</c>
/// editing the template's pod and its Spark container, which is appended to the template's other containers), so a
/// test can submit the result to the fake API server's admission.
/// </summary>
internal static class SparkExecutorPods
{
    public static V1Pod FromTemplate(string templateYaml, IReadOnlyDictionary<string, string> conf, V1Pod driver, int executorId)
    {
        var template = SparkPodTemplate.Parse(templateYaml, "template", "pod-spec-template.yml");
        var (pod, container) = SparkPodTemplate.SelectSparkContainer(template,
            conf.TryGetValue(SparkConfKeys.ExecutorPodTemplateContainerName, out var name) ? name : null);
        var id = executorId.ToString(CultureInfo.InvariantCulture);
        var prefix = conf.TryGetValue(SparkConfKeys.ExecutorPodNamePrefix, out var p) ? p : driver.Metadata.Name;
        container.Name ??= SparkConventions.ExecutorContainerName;
        container.Image = conf[SparkConfKeys.ContainerImage];
        container.Args = ["executor"];
        container.Env = [.. container.Env ?? [], new V1EnvVar { Name = "SPARK_EXECUTOR_ID", Value = id }, new V1EnvVar { Name = "SPARK_LOCAL_DIRS", Value = "/var/data/spark-1" }];
        container.Resources = new V1ResourceRequirements
        {
            Requests = new Dictionary<string, ResourceQuantity> { ["cpu"] = new("1"), ["memory"] = new("1408Mi") },
            Limits = new Dictionary<string, ResourceQuantity> { ["memory"] = new("1408Mi") },
        };
        container.VolumeMounts = [.. container.VolumeMounts ?? [], new V1VolumeMount { Name = "spark-local-dir-1", MountPath = "/var/data/spark-1" }];
        pod.Metadata.Name = $"{prefix}-exec-{id}";
        pod.Metadata.Labels = new Dictionary<string, string>(pod.Metadata.Labels ?? new Dictionary<string, string>())
        {
            [SparkConventions.AppIdLabel] = conf[SparkConfKeys.AppId],
            [SparkConventions.RoleLabel] = SparkConventions.ExecutorRole,
            [SparkConventions.ExecutorIdLabel] = id,
        };
        pod.Metadata.OwnerReferences = [new V1OwnerReference { ApiVersion = "v1", Kind = "Pod", Name = driver.Metadata.Name, Uid = driver.Metadata.Uid, Controller = true }];
        pod.Spec.RestartPolicy = "Never";
        pod.Spec.Hostname = $"{prefix}-exec-{id}";
        pod.Spec.Volumes = [.. pod.Spec.Volumes ?? [], new V1Volume { Name = "spark-local-dir-1", EmptyDir = new V1EmptyDirVolumeSource() }];
        pod.Spec.Containers = [.. pod.Spec.Containers ?? [], container];
        return pod;
    }
}
