using System.Globalization;
using k8s.Models;
using Kindling.Resources;

namespace Kindling.Spark;

/// <summary>
/// Builds the driver pod exactly as Spark's submission client would: <c>KubernetesDriverBuilder</c> starts from
/// the driver pod template (or an empty pod), then applies its feature steps in order: <c>BasicDriverFeatureStep</c>,
/// <c>DriverKubernetesCredentialsFeatureStep</c>, <c>MountSecretsFeatureStep</c>, <c>EnvSecretsFeatureStep</c>,
/// <c>MountVolumesFeatureStep</c>, <c>DriverCommandFeatureStep</c>, <c>PodTemplateConfigMapStep</c>,
/// <c>LocalDirsFeatureStep</c>; then <c>Client.scala</c> adds the conf volume and appends the Spark container after
/// the template's other containers. Kindling adds its safe defaults: no Istio sidecar, no Service links, the
/// environment's ServiceAccount, and the restricted Pod Security context wherever the template left it unset.
/// </summary>
internal static class DriverPodBuilder
{
    private const string LocalDirVolumePrefix = "spark-local-dir-";

    public static V1Pod Build(SparkSubmissionInputs inputs, SparkNames names, IReadOnlyDictionary<string, string> conf, SparkPodSizes sizes,
        DriverSecretConf? secrets = null)
    {
        secrets ??= DriverSecretConf.None;
        var (spec, target, ids, sources) = (inputs.Spec, inputs.Target, inputs.Ids, inputs.Sources);
        var problems = new List<InputError>();
        var podConf = new SparkPodConf(conf, SparkConventions.DriverRole, problems);
        var (pod, container) = SparkPodTemplate.SelectSparkContainer(inputs.Templates.Driver, Get(conf, SparkConfKeys.DriverPodTemplateContainerName));
        var podSpec = pod.Spec;
        var volumes = podSpec.Volumes?.ToList() ?? [];
        var mounts = container.VolumeMounts?.ToList() ?? [];
        // A template's variable that Kindling sets from the driver's conf Secret is replaced (its plain value, for
        // SPARK_SUBMIT_OPTS, is kept inside the Secret's; see DriverSecretConf).
        var env = container.Env?.Where(e => !secrets.Env.ContainsKey(e.Name)).ToList() ?? [];

        // BasicDriverFeatureStep: the container keeps the template's name, else spark-kubernetes-driver.
        container.Name ??= SparkConventions.DriverContainerName;
        container.Image = target.Image;
        container.ImagePullPolicy = Get(conf, "spark.kubernetes.container.image.pullPolicy") ?? "IfNotPresent";
        container.Ports =
        [
            .. container.Ports ?? [],
            new V1ContainerPort { Name = SparkConventions.DriverPortName, ContainerPort = target.DriverPort, Protocol = "TCP" },
            new V1ContainerPort { Name = SparkConventions.BlockManagerPortName, ContainerPort = target.BlockManagerPort, Protocol = "TCP" },
            new V1ContainerPort { Name = SparkConventions.UiPortName, ContainerPort = target.UiPort, Protocol = "TCP" },
        ];
        env.Add(new V1EnvVar { Name = "SPARK_USER", Value = target.SparkUser });
        env.Add(new V1EnvVar { Name = "SPARK_APPLICATION_ID", Value = names.AppId });
        env.AddRange(Prefixed(conf, "spark.kubernetes.driverEnv.").Where(e => !secrets.Env.ContainsKey(e.Key)).Select(e => new V1EnvVar { Name = e.Key, Value = e.Value }));
        env.Add(new V1EnvVar
        {
            Name = "SPARK_DRIVER_BIND_ADDRESS",
            ValueFrom = new V1EnvVarSource { FieldRef = new V1ObjectFieldSelector { ApiVersion = "v1", FieldPath = "status.podIP" } },
        });
        // addToRequests/addToLimits: the template's other resources stay, cpu and memory are Spark's.
        var memory = new ResourceQuantity(SparkMemory.Quantity(sizes.Driver.PodMemoryMiB));
        var requests = new SortedDictionary<string, ResourceQuantity>(container.Resources?.Requests ?? new Dictionary<string, ResourceQuantity>(), StringComparer.Ordinal)
        {
            ["cpu"] = new(sizes.Driver.Cpu),
            ["memory"] = memory,
        };
        var limits = new SortedDictionary<string, ResourceQuantity>(container.Resources?.Limits ?? new Dictionary<string, ResourceQuantity>(), StringComparer.Ordinal)
        {
            ["memory"] = memory,
        };
        if (sizes.Driver.CpuLimit is { } cpuLimit) limits["cpu"] = new ResourceQuantity(cpuLimit);
        container.Resources = new V1ResourceRequirements { Requests = requests, Limits = limits };
        // Spark leaves the default (File). With FallbackToLogsOnError the kubelet makes the last 80 lines / 2048 bytes
        // of the log the termination message when the container fails (Kubernetes docs, "Customizing the termination
        // message"): the one piece of a SIGKILLed or OOMKilled driver's log that survives, since DriverLogger's S3A
        // upload completes only on a clean stop. Kindling keeps it after the pod is gone (SparkExitRecords).
        // A pod template's own choice wins.
        container.TerminationMessagePolicy ??= "FallbackToLogsOnError";

        pod.ApiVersion = "v1";
        pod.Kind = "Pod";
        pod.Metadata.Name = names.DriverPod;
        pod.Metadata.NamespaceProperty = target.Namespace;
        var labels = new SortedDictionary<string, string>(pod.Metadata.Labels ?? new Dictionary<string, string>(), StringComparer.Ordinal);
        foreach (var (k, v) in DriverLabels(names, target, conf)) labels[k] = v;
        pod.Metadata.Labels = labels;
        var annotations = new SortedDictionary<string, string>(pod.Metadata.Annotations ?? new Dictionary<string, string>(), StringComparer.Ordinal);
        foreach (var (k, v) in podConf.Annotations(names.AppId)) annotations[k] = v;
        annotations[SparkConventions.IstioInjectAnnotation] = "false";
        annotations[SparkConventions.ExecutorsRequestedAnnotation] = sizes.Executors.ToString(CultureInfo.InvariantCulture);
        pod.Metadata.Annotations = annotations;
        podSpec.RestartPolicy = "Never";
        var nodeSelector = new SortedDictionary<string, string>(podSpec.NodeSelector ?? new Dictionary<string, string>(), StringComparer.Ordinal);
        foreach (var (k, v) in podConf.NodeSelector()) nodeSelector[k] = v;
        podSpec.NodeSelector = nodeSelector.Count > 0 ? nodeSelector : null;
        var pullSecrets = (podSpec.ImagePullSecrets ?? []).Concat(podConf.ImagePullSecrets()).ToList();
        podSpec.ImagePullSecrets = pullSecrets.Count > 0 ? pullSecrets : null;

        // DriverKubernetesCredentialsFeatureStep: the environment's ServiceAccount, which its Role is bound to.
        podSpec.ServiceAccountName = target.ServiceAccount;

        // MountSecretsFeatureStep, EnvSecretsFeatureStep, MountVolumesFeatureStep.
        foreach (var (volume, mount) in podConf.SecretVolumes()) { volumes.Add(volume); mounts.Add(mount); }
        env.AddRange(podConf.SecretEnv());
        // Secret-like conf, and driverEnv values whose keys look secret, come from the driver's own Secret (DriverSecretConf).
        env.AddRange(secrets.Env.Keys.Select(name => new V1EnvVar
        {
            Name = name,
            ValueFrom = new V1EnvVarSource { SecretKeyRef = new V1SecretKeySelector { Name = names.ConfSecret, Key = name, Optional = false } },
        }));
        foreach (var (volume, mount) in podConf.Volumes(names.ResourcePrefix, target.SparkMajorVersion)) { volumes.Add(volume); mounts.Add(mount); }

        // DriverCommandFeatureStep: the image entrypoint's `driver` branch runs spark-submit --deploy-mode client "$@".
        container.Args =
        [
            "driver",
            "--properties-file", $"{SparkConventions.ConfDir}/{SparkConventions.ConfFileName}",
            "--class", spec.IsPython ? SparkConventions.PythonRunnerClass : spec.MainClass!,
            sources.MainResource,
            .. spec.Arguments,
        ];
        if (spec.IsPython)
        {
            // PYSPARK_PYTHON must name the same interpreter on driver and executors (PYTHON_VERSION_MISMATCH otherwise).
            var python = Get(conf, SparkConfKeys.PysparkPython) ?? "python3";
            env.Add(new V1EnvVar { Name = "PYSPARK_PYTHON", Value = python });
            env.Add(new V1EnvVar { Name = "PYSPARK_DRIVER_PYTHON", Value = Get(conf, SparkConfKeys.PysparkDriverPython) ?? python });
        }

        // PodTemplateConfigMapStep: the executor pod template, shipped in <prefix>-podspec-configmap.
        if (ExecutorTemplateShipping.IsShipped(conf))
        {
            volumes.Add(new V1Volume
            {
                Name = ExecutorTemplateShipping.VolumeName,
                ConfigMap = new V1ConfigMapVolumeSource
                {
                    Name = ExecutorTemplateShipping.ConfigMapName(names),
                    Items = [new V1KeyToPath { Key = ExecutorTemplateShipping.Key, Path = ExecutorTemplateShipping.FileName }],
                },
            });
            mounts.Add(new V1VolumeMount { Name = ExecutorTemplateShipping.VolumeName, MountPath = ExecutorTemplateShipping.MountDir });
        }

        // LocalDirsFeatureStep: volumes the user mounted as spark-local-dir-* (template or volumes conf) are the local
        // dirs; otherwise spark.local.dir or /var/data/spark-<uuid>, each an emptyDir (in memory with
        // spark.kubernetes.local.dirs.tmpfs).
        var userLocalDirs = mounts.Where(m => m.Name.StartsWith(LocalDirVolumePrefix, StringComparison.Ordinal)).Select(m => m.MountPath).ToList();
        if (userLocalDirs.Count > 0)
        {
            env.Add(new V1EnvVar { Name = "SPARK_LOCAL_DIRS", Value = string.Join(',', userLocalDirs) });
        }
        else
        {
            var localDirs = (Get(conf, "spark.local.dir") ?? $"/var/data/spark-{ids.LocalDirId}").Split(',');
            var tmpfs = Get(conf, "spark.kubernetes.local.dirs.tmpfs") is { } t && bool.TryParse(t, out var inMemory) && inMemory;
            env.Add(new V1EnvVar { Name = "SPARK_LOCAL_DIRS", Value = string.Join(',', localDirs) });
            for (var i = 0; i < localDirs.Length; i++)
            {
                var name = LocalDirVolumePrefix + (i + 1).ToString(CultureInfo.InvariantCulture);
                volumes.Add(new V1Volume { Name = name, EmptyDir = new V1EmptyDirVolumeSource { Medium = tmpfs ? "Memory" : null } });
                mounts.Add(new V1VolumeMount { Name = name, MountPath = localDirs[i] });
            }
        }

        // Client.scala: SPARK_CONF_DIR and the conf ConfigMap.
        env.Add(new V1EnvVar { Name = "SPARK_CONF_DIR", Value = SparkConventions.ConfDir });
        mounts.Add(new V1VolumeMount { Name = SparkConventions.ConfVolumeName, MountPath = SparkConventions.ConfDir });
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
            volumes.Add(new V1Volume { Name = SparkConventions.ShippedFilesVolumeName, ConfigMap = new V1ConfigMapVolumeSource { Name = names.FilesConfigMap } });
        }

        container.Env = env;
        container.VolumeMounts = mounts;
        podSpec.Volumes = volumes;
        // Client.scala appends the Spark container after the template's other containers.
        podSpec.Containers = [.. podSpec.Containers ?? [], container];
        // In a namespace with many Services, the injected *_SERVICE_HOST variables can overflow the container's
        // environment; Spark needs none of them. A template's explicit choice stands.
        podSpec.EnableServiceLinks ??= false;
        SparkPodSecurity.Apply(podSpec);

        if (problems.Count > 0) throw new InvalidInputException(problems);
        return pod;
    }

    /// <summary>The driver's labels, which are also its Service's selector (DriverServiceFeatureStep: <c>conf.labels</c>).</summary>
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

    private static string? Get(IReadOnlyDictionary<string, string> conf, string key) => conf.TryGetValue(key, out var v) ? v : null;

    private static IEnumerable<KeyValuePair<string, string>> Prefixed(IReadOnlyDictionary<string, string> conf, string prefix) =>
        conf.Where(e => e.Key.StartsWith(prefix, StringComparison.Ordinal) && e.Key.Length > prefix.Length)
            .Select(e => KeyValuePair.Create(e.Key[prefix.Length..], e.Value))
            .OrderBy(e => e.Key, StringComparer.Ordinal);
}
