using System.Globalization;
using k8s.Models;
using Kindling.Resources;

namespace Kindling.Spark;

/// <summary>
/// Builds the driver pod exactly as Spark's submission client would (<c>BasicDriverFeatureStep</c>,
/// <c>DriverCommandFeatureStep</c>, <c>LocalDirsFeatureStep</c>, <c>Client.scala</c>'s conf volume), plus
/// Kindling's safe defaults: no Istio sidecar, no Service links, the environment's ServiceAccount.
/// </summary>
internal static class DriverPodBuilder
{
    public static V1Pod Build(SparkSubmissionInputs inputs, SparkNames names, IReadOnlyDictionary<string, string> conf, SparkPodSizes sizes)
    {
        var (spec, target, ids, sources) = (inputs.Spec, inputs.Target, inputs.Ids, inputs.Sources);
        // LocalDirsFeatureStep: without SPARK_LOCAL_DIRS or spark.local.dir, one emptyDir at /var/data/spark-<uuid>.
        var localDir = conf.TryGetValue("spark.local.dir", out var configured) ? configured : $"/var/data/spark-{ids.LocalDirId}";
        var localDirs = localDir.Split(',');

        var env = new List<V1EnvVar>
        {
            new() { Name = "SPARK_USER", Value = target.SparkUser },
            new() { Name = "SPARK_APPLICATION_ID", Value = names.AppId },
        };
        env.AddRange(Prefixed(conf, "spark.kubernetes.driverEnv.").Select(e => new V1EnvVar { Name = e.Key, Value = e.Value }));
        env.Add(new V1EnvVar
        {
            Name = "SPARK_DRIVER_BIND_ADDRESS",
            ValueFrom = new V1EnvVarSource { FieldRef = new V1ObjectFieldSelector { ApiVersion = "v1", FieldPath = "status.podIP" } },
        });
        env.Add(new V1EnvVar { Name = "SPARK_LOCAL_DIRS", Value = string.Join(',', localDirs) });
        if (spec.IsPython)
        {
            // PYSPARK_PYTHON must name the same interpreter on driver and executors (PYTHON_VERSION_MISMATCH otherwise).
            var python = conf.TryGetValue(SparkConfKeys.PysparkPython, out var p) ? p : "python3";
            env.Add(new V1EnvVar { Name = "PYSPARK_PYTHON", Value = python });
            env.Add(new V1EnvVar { Name = "PYSPARK_DRIVER_PYTHON", Value = conf.TryGetValue(SparkConfKeys.PysparkDriverPython, out var dp) ? dp : python });
        }
        env.Add(new V1EnvVar { Name = "SPARK_CONF_DIR", Value = SparkConventions.ConfDir });

        var mounts = localDirs.Select((dir, i) => new V1VolumeMount { Name = LocalDirVolume(i), MountPath = dir }).ToList();
        mounts.Add(new V1VolumeMount { Name = SparkConventions.ConfVolumeName, MountPath = SparkConventions.ConfDir });
        var volumes = localDirs.Select((_, i) => new V1Volume { Name = LocalDirVolume(i), EmptyDir = new V1EmptyDirVolumeSource() }).ToList();
        volumes.Add(new V1Volume
        {
            Name = SparkConventions.ConfVolumeName,
            ConfigMap = new V1ConfigMapVolumeSource
            {
                Name = names.ConfConfigMap,
                // 420 = 0644, as KubernetesClientUtils.buildKeyToPathObjects writes it.
                Items = [new V1KeyToPath { Key = SparkConventions.ConfFileName, Path = SparkConventions.ConfFileName, Mode = 420 }],
            },
        });
        if (sources.ShippedFiles.Count > 0)
        {
            mounts.Add(new V1VolumeMount { Name = SparkConventions.ShippedFilesVolumeName, MountPath = SparkConventions.ShippedFilesDir, ReadOnlyProperty = true });
            volumes.Add(new V1Volume
            {
                Name = SparkConventions.ShippedFilesVolumeName,
                ConfigMap = new V1ConfigMapVolumeSource { Name = names.FilesConfigMap },
            });
        }

        var memory = new ResourceQuantity(SparkMemory.Quantity(sizes.Driver.PodMemoryMiB));
        var requests = new SortedDictionary<string, ResourceQuantity>(StringComparer.Ordinal) { ["cpu"] = new(sizes.Driver.Cpu), ["memory"] = memory };
        var limits = new SortedDictionary<string, ResourceQuantity>(StringComparer.Ordinal) { ["memory"] = memory };
        if (sizes.Driver.CpuLimit is { } cpuLimit) limits["cpu"] = new ResourceQuantity(cpuLimit);

        var container = new V1Container
        {
            Name = SparkConventions.DriverContainerName,
            Image = target.Image,
            ImagePullPolicy = conf.TryGetValue("spark.kubernetes.container.image.pullPolicy", out var pull) ? pull : "IfNotPresent",
            // The image entrypoint's `driver` branch runs spark-submit --deploy-mode client "$@".
            Args =
            [
                "driver",
                "--properties-file", $"{SparkConventions.ConfDir}/{SparkConventions.ConfFileName}",
                "--class", spec.IsPython ? SparkConventions.PythonRunnerClass : spec.MainClass!,
                sources.MainResource,
                .. spec.Arguments,
            ],
            Ports =
            [
                new V1ContainerPort { Name = SparkConventions.DriverPortName, ContainerPort = target.DriverPort, Protocol = "TCP" },
                new V1ContainerPort { Name = SparkConventions.BlockManagerPortName, ContainerPort = target.BlockManagerPort, Protocol = "TCP" },
                new V1ContainerPort { Name = SparkConventions.UiPortName, ContainerPort = target.UiPort, Protocol = "TCP" },
            ],
            Env = env,
            Resources = new V1ResourceRequirements { Requests = requests, Limits = limits },
            VolumeMounts = mounts,
        };

        var annotations = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (k, v) in Prefixed(conf, SparkConfKeys.DriverAnnotationPrefix)) annotations[k] = v;
        annotations[SparkConventions.IstioInjectAnnotation] = "false";
        annotations[SparkConventions.ExecutorsRequestedAnnotation] = sizes.Executors.ToString(CultureInfo.InvariantCulture);

        return new V1Pod
        {
            ApiVersion = "v1",
            Kind = "Pod",
            Metadata = new V1ObjectMeta
            {
                Name = names.DriverPod,
                NamespaceProperty = target.Namespace,
                Labels = DriverLabels(names, target, conf),
                Annotations = annotations,
            },
            Spec = new V1PodSpec
            {
                RestartPolicy = "Never",
                ServiceAccountName = target.ServiceAccount,
                // In a namespace with many Services, the injected *_SERVICE_HOST variables can overflow the
                // container's environment; Spark needs none of them.
                EnableServiceLinks = false,
                Containers = [container],
                Volumes = volumes,
            },
        };
    }

    /// <summary>The driver's labels, which are also its Service's selector (DriverServiceFeatureStep).</summary>
    public static IDictionary<string, string> DriverLabels(SparkNames names, SparkSubmitTarget target, IReadOnlyDictionary<string, string> conf)
    {
        var labels = new SortedDictionary<string, string>(StringComparer.Ordinal) { ["app.kubernetes.io/managed-by"] = KindlingLabels.ManagedBy };
        foreach (var (k, v) in Prefixed(conf, SparkConfKeys.DriverLabelPrefix)) labels[k] = v;
        labels[SparkConventions.VersionLabel] = target.SparkVersion;
        labels[SparkConventions.AppIdLabel] = names.AppId;
        labels[SparkConventions.AppNameLabel] = names.AppNameLabel;
        labels[SparkConventions.RoleLabel] = SparkConventions.DriverRole;
        return labels;
    }

    private static string LocalDirVolume(int index) => $"spark-local-dir-{index + 1}";

    private static IEnumerable<KeyValuePair<string, string>> Prefixed(IReadOnlyDictionary<string, string> conf, string prefix) =>
        conf.Where(e => e.Key.StartsWith(prefix, StringComparison.Ordinal) && e.Key.Length > prefix.Length)
            .Select(e => KeyValuePair.Create(e.Key[prefix.Length..], e.Value))
            .OrderBy(e => e.Key, StringComparer.Ordinal);
}
