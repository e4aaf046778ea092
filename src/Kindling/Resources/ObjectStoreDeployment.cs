using System.Globalization;
using k8s.Models;

namespace Kindling.Resources;

/// <summary>
/// The store: one SeaweedFS pod running <c>weed mini</c>, the project's single-process setup (master, volume
/// server, filer and S3 gateway; weed/command/mini.go) made for small and development use, on its own PVC. Checked
/// against SeaweedFS's <c>docker/Dockerfile.go_build</c> and <c>docker/entrypoint.sh</c>:
/// <list type="bullet">
/// <item>the image's user <c>seaweed</c> is uid/gid 1000; the entrypoint drops to it with <c>su-exec</c> only when
/// started as root, so the pod runs as 1000 from the start and <c>fsGroup</c> makes the volume writable;</item>
/// <item><c>mini</c> keeps its data under <c>-dir</c> (the filer's leveldb in <c>/data/filerldb2</c>, from the image's
/// <c>/etc/seaweedfs/filer.toml</c>) and its gRPC sockets in <c>/tmp</c>, so the root filesystem can be read-only
/// with <c>/data</c> on the PVC and <c>/tmp</c> on an emptyDir;</item>
/// <item>the parts a Spark environment does not use are turned off (<c>-webdav=false</c>, <c>-admin.ui=false</c>,
/// <c>-s3.port.iceberg=0</c>, <c>-s3.port.lance=0</c>), and so is the anonymous usage report
/// (<c>-master.telemetry=false</c>), which would otherwise call out from the user's cluster;</item>
/// <item>the S3 gateway answers <c>GET /healthz</c> without credentials (weed/s3api/s3api_server.go), which the
/// probes use.</item>
/// </list>
/// </summary>
internal static class ObjectStoreDeployment
{
    /// <summary>The image's <c>seaweed</c> user and group.</summary>
    public const long SeaweedUid = 1000;

    /// <summary>Where the data volume is mounted, <c>weed mini -dir</c>.</summary>
    public const string DataDir = "/data";

    /// <summary>The S3 gateway's health path, used by the probes and by <c>doctor</c>.</summary>
    public const string HealthPath = "/healthz";

    private const string DataVolume = "data";
    private const string TmpVolume = "tmp";

    /// <summary>The container's arguments, after the image's entrypoint.</summary>
    public static IReadOnlyList<string> Args =>
    [
        "mini",
        $"-dir={DataDir}",
        "-ip.bind=0.0.0.0",
        string.Create(CultureInfo.InvariantCulture, $"-s3.port={ObjectStoreNames.Port}"),
        "-webdav=false",
        "-admin.ui=false",
        "-s3.port.iceberg=0",
        "-s3.port.lance=0",
        "-master.telemetry=false",
    ];

    public static V1Deployment Build(ManifestInputs inputs)
    {
        var spec = inputs.Spec;
        var name = ObjectStoreNames.Of(spec.Name);
        return new V1Deployment
        {
            ApiVersion = "apps/v1",
            Kind = "Deployment",
            Metadata = StandardLabels.Metadata(inputs, name, ObjectStoreNames.App, ObjectStoreNames.Component),
            Spec = new V1DeploymentSpec
            {
                Replicas = 1,
                // A ReadWriteOnce volume and one writer: the old pod stops before the new one mounts the volume.
                Strategy = new V1DeploymentStrategy { Type = "Recreate" },
                Selector = new V1LabelSelector { MatchLabels = ObjectStoreNames.Selector(spec.Name) },
                Template = new V1PodTemplateSpec
                {
                    Metadata = new V1ObjectMeta
                    {
                        Labels = ObjectStoreNames.PodLabels(spec.Name),
                        Annotations = new SortedDictionary<string, string>(StringComparer.Ordinal) { ["sidecar.istio.io/inject"] = "false" },
                    },
                    Spec = new V1PodSpec
                    {
                        // The store needs no Kubernetes API.
                        AutomountServiceAccountToken = false,
                        EnableServiceLinks = false,
                        SecurityContext = new V1PodSecurityContext
                        {
                            RunAsNonRoot = true,
                            RunAsUser = SeaweedUid,
                            RunAsGroup = SeaweedUid,
                            FsGroup = SeaweedUid,
                            SeccompProfile = new V1SeccompProfile { Type = "RuntimeDefault" },
                        },
                        Containers = [Container(inputs)],
                        Volumes =
                        [
                            new V1Volume { Name = DataVolume, PersistentVolumeClaim = new V1PersistentVolumeClaimVolumeSource { ClaimName = name } },
                            new V1Volume { Name = TmpVolume, EmptyDir = new V1EmptyDirVolumeSource { SizeLimit = new ResourceQuantity("256Mi") } },
                        ],
                    },
                },
            },
        };
    }

    private static V1Container Container(ManifestInputs inputs)
    {
        var storage = inputs.Spec.Storage;
        var resources = new SortedDictionary<string, ResourceQuantity>(StringComparer.Ordinal)
        {
            ["cpu"] = new ResourceQuantity(storage.Cpu),
            ["memory"] = new ResourceQuantity(storage.Memory),
        };
        var endpoint = string.Create(CultureInfo.InvariantCulture, $"http://127.0.0.1:{ObjectStoreNames.Port}");
        return new V1Container
        {
            Name = ObjectStoreNames.ContainerName,
            Image = storage.Image,
            ImagePullPolicy = "IfNotPresent",
            Args = [.. Args],
            Env = [.. ObjectStoreSecret.Environment(inputs.Spec)],
            Ports = [new V1ContainerPort { Name = ObjectStoreNames.PortName, ContainerPort = ObjectStoreNames.Port, Protocol = "TCP" }],
            Resources = new V1ResourceRequirements { Requests = resources, Limits = new SortedDictionary<string, ResourceQuantity>(resources, StringComparer.Ordinal) },
            Lifecycle = new V1Lifecycle
            {
                PostStart = new V1LifecycleHandler { Exec = new V1ExecAction { Command = ["/bin/sh", "-c", ObjectStoreDirectories.Script(inputs.Spec, endpoint)] } },
            },
            ReadinessProbe = new V1Probe
            {
                HttpGet = new V1HTTPGetAction { Path = HealthPath, Port = ObjectStoreNames.PortName },
                PeriodSeconds = 5,
                TimeoutSeconds = 3,
                FailureThreshold = 3,
            },
            LivenessProbe = new V1Probe
            {
                HttpGet = new V1HTTPGetAction { Path = HealthPath, Port = ObjectStoreNames.PortName },
                InitialDelaySeconds = 30,
                PeriodSeconds = 20,
                TimeoutSeconds = 5,
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
                new V1VolumeMount { Name = DataVolume, MountPath = DataDir },
                new V1VolumeMount { Name = TmpVolume, MountPath = "/tmp" },
            ],
        };
    }
}
