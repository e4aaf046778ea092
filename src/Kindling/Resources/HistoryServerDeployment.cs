using System.Security.Cryptography;
using System.Text;
using k8s.Models;
using Kindling.Configuration;
using Kindling.Spark;

namespace Kindling.Resources;

/// <summary>
/// The Spark History Server: one replica of the Kindling Spark image (the same Spark build that wrote the event
/// logs), under Pod Security "restricted", with a read-only root filesystem.
/// </summary>
internal static class HistoryServerDeployment
{
    /// <summary>Pod annotation carrying a hash of the properties, so a conf change rolls the pod.</summary>
    public const string ConfHashAnnotation = "kindling.dev/history-conf-sha256";

    private const string ConfVolume = "history-conf";
    private const string TmpVolume = "tmp";

    public static V1Deployment Build(ManifestInputs inputs, HistoryLocations history)
    {
        var spec = inputs.Spec;
        var name = HistoryServerNames.Of(spec.Name);
        var hash = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(HistoryServerConfig.Properties(inputs, history))))[..16];
        return new V1Deployment
        {
            ApiVersion = "apps/v1",
            Kind = "Deployment",
            Metadata = StandardLabels.Metadata(inputs, name, HistoryServerNames.App, HistoryServerNames.Component),
            Spec = new V1DeploymentSpec
            {
                Replicas = 1,
                // Its state is only a cache of S3: the replacement may start before the old pod stops.
                Strategy = new V1DeploymentStrategy { Type = "RollingUpdate" },
                Selector = new V1LabelSelector { MatchLabels = HistoryServerNames.Selector(spec.Name) },
                Template = new V1PodTemplateSpec
                {
                    Metadata = new V1ObjectMeta
                    {
                        Labels = HistoryServerNames.PodLabels(spec.Name),
                        Annotations = new SortedDictionary<string, string>(StringComparer.Ordinal)
                        {
                            [ConfHashAnnotation] = hash,
                            ["sidecar.istio.io/inject"] = "false",
                        },
                    },
                    Spec = PodSpec(inputs, name),
                },
            },
        };
    }

    private static V1PodSpec PodSpec(ManifestInputs inputs, string name) => new()
    {
        ServiceAccountName = name,
        AutomountServiceAccountToken = false,
        EnableServiceLinks = false,
        SecurityContext = new V1PodSecurityContext
        {
            RunAsNonRoot = true,
            // The official image's spark user (uid/gid 185).
            RunAsUser = Kindling.Spark.SparkPodSecurity.SparkUid,
            RunAsGroup = Kindling.Spark.SparkPodSecurity.SparkUid,
            FsGroup = Kindling.Spark.SparkPodSecurity.SparkUid,
            SeccompProfile = new V1SeccompProfile { Type = "RuntimeDefault" },
        },
        // With storage.local the server waits for the store: it stops on a missing log directory, and the store's
        // Service answers only once its postStart hook has created the directories (ObjectStoreDirectories).
        InitContainers = inputs.Spec.Storage.Local ? [ObjectStoreWait.Container(inputs)] : null,
        Containers = [Container(inputs)],
        Volumes =
        [
            new V1Volume { Name = ConfVolume, ConfigMap = new V1ConfigMapVolumeSource { Name = name } },
            // S3A buffers and the JVM's temp files; the root filesystem stays read-only.
            new V1Volume { Name = TmpVolume, EmptyDir = new V1EmptyDirVolumeSource { SizeLimit = new ResourceQuantity("1Gi") } },
        ],
    };

    private static V1Container Container(ManifestInputs inputs)
    {
        var history = inputs.Spec.History;
        var memory = new ResourceQuantity(history.Memory);
        var resources = new SortedDictionary<string, ResourceQuantity>(StringComparer.Ordinal)
        {
            ["cpu"] = new ResourceQuantity(history.Cpu),
            ["memory"] = memory,
        };
        // The REST API answers once the server listens; a short list keeps the probe cheap with many applications.
        var probePath = SparkHistoryServer.ApplicationsPath + "?limit=1";
        return new V1Container
        {
            Name = HistoryServerNames.ContainerName,
            Image = inputs.Images.Spark,
            ImagePullPolicy = "IfNotPresent",
            Args = [.. SparkHistoryServer.Args],
            Env = [new V1EnvVar { Name = SparkHistoryServer.DaemonMemoryEnv, Value = SparkHistoryServer.HeapFor((long)memory.ToDecimal()) }, .. ObjectStoreSecret.Environment(inputs.Spec)],
            Ports = [new V1ContainerPort { Name = HistoryServerNames.PortName, ContainerPort = SparkHistoryServer.Port, Protocol = "TCP" }],
            Resources = new V1ResourceRequirements { Requests = resources, Limits = new SortedDictionary<string, ResourceQuantity>(resources, StringComparer.Ordinal) },
            ReadinessProbe = new V1Probe
            {
                HttpGet = new V1HTTPGetAction { Path = probePath, Port = HistoryServerNames.PortName },
                InitialDelaySeconds = 10,
                PeriodSeconds = 10,
                TimeoutSeconds = 5,
                FailureThreshold = 3,
            },
            // Replaying many large event logs can make the server slow for a while; restart it only when it is stuck.
            LivenessProbe = new V1Probe
            {
                HttpGet = new V1HTTPGetAction { Path = probePath, Port = HistoryServerNames.PortName },
                InitialDelaySeconds = 60,
                PeriodSeconds = 30,
                TimeoutSeconds = 10,
                FailureThreshold = 6,
            },
            SecurityContext = new V1SecurityContext
            {
                AllowPrivilegeEscalation = false,
                Capabilities = new V1Capabilities { Drop = ["ALL"] },
                RunAsNonRoot = true,
                ReadOnlyRootFilesystem = true,
            },
            VolumeMounts =
            [
                new V1VolumeMount { Name = ConfVolume, MountPath = SparkHistoryServer.ConfDir, ReadOnlyProperty = true },
                new V1VolumeMount { Name = TmpVolume, MountPath = "/tmp" },
            ],
        };
    }
}
