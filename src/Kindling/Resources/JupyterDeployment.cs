using k8s.Models;
using Kindling.Spark;

namespace Kindling.Resources;

/// <summary>
/// The notebook server. Its pod is also the Spark driver of every notebook session (client mode), so it carries
/// the driver's fixed ports, its identity (the ServiceAccount) and the env the start-up file turns into Spark conf.
/// </summary>
internal static class JupyterDeployment
{
    /// <summary>
    /// Jupyter's root directory in the jupyter image (its WORKDIR and <c>--ServerApp.root_dir</c>). The notebooks'
    /// PVC is mounted here, so what users save survives pod restarts. HOME and IPYTHONDIR (with the start-up file)
    /// are elsewhere in the image, so the mount hides neither.
    /// </summary>
    public const string WorkDir = "/home/spark/work";

    public const string ContainerName = "jupyter";

    private const string NotebooksVolume = "notebooks";

    public static V1Deployment Build(ManifestInputs inputs)
    {
        var spec = inputs.Spec;
        var names = new ResourceNames(spec.Name);
        return new V1Deployment
        {
            ApiVersion = "apps/v1",
            Kind = "Deployment",
            Metadata = StandardLabels.Metadata(inputs, names.JupyterDeployment, StandardLabels.JupyterApp, StandardLabels.NotebookComponent),
            Spec = new V1DeploymentSpec
            {
                // One notebook pod: it is the single Spark driver its headless Service points at, and it mounts a
                // ReadWriteOnce volume.
                Replicas = 1,
                // RollingUpdate would start the new pod while the old one still holds the ReadWriteOnce PVC, and the
                // new pod would hang in ContainerCreating (Multi-Attach error) on another node.
                Strategy = new V1DeploymentStrategy { Type = "Recreate" },
                Selector = new V1LabelSelector { MatchLabels = StandardLabels.NotebookSelector(spec.Name) },
                Template = new V1PodTemplateSpec
                {
                    Metadata = new V1ObjectMeta
                    {
                        Labels = StandardLabels.NotebookPod(spec.Name),
                        Annotations = new SortedDictionary<string, string>(StringComparer.Ordinal)
                        {
                            // An Istio sidecar would race the driver's ports and keep the pod alive after the kernel
                            // exits (DESIGN §5.11); the executors get the same annotation from the start-up file.
                            [SparkConventions.IstioInjectAnnotation] = "false",
                            // The notebook is the driver of its sessions: its Spark UI serves their metrics.
                            [Kindling.Spark.SparkObservability.ScrapeAnnotation] = "true",
                            [Kindling.Spark.SparkObservability.PortAnnotation] = spec.Spark.UiPort.ToString(System.Globalization.CultureInfo.InvariantCulture),
                            [Kindling.Spark.SparkObservability.PathAnnotation] = Kindling.Spark.SparkObservability.DriverMetricsPath,
                        },
                    },
                    Spec = PodSpec(inputs, names),
                },
            },
        };
    }

    private static V1PodSpec PodSpec(ManifestInputs inputs, ResourceNames names) => new()
    {
        ServiceAccountName = names.ServiceAccount,
        // The client-mode driver talks to the API server with this pod's mounted token to create executors.
        AutomountServiceAccountToken = true,
        // Docker-link style *_SERVICE_HOST/_PORT variables for every Service in the namespace: useless here, and in a
        // namespace with many Spark driver Services they bloat the env and slow pod start (DESIGN §5.12).
        EnableServiceLinks = false,
        // Pod Security "restricted"; fsGroup makes the PVC's files group-owned by the spark group so the non-root
        // server can write notebooks.
        SecurityContext = NotebookPodSecurity(),
        Containers = [Container(inputs)],
        Volumes =
        [
            new V1Volume
            {
                Name = NotebooksVolume,
                PersistentVolumeClaim = new V1PersistentVolumeClaimVolumeSource { ClaimName = names.NotebooksClaim },
            },
            new V1Volume
            {
                Name = ExecutorPodTemplateConfigMap.VolumeName,
                ConfigMap = new V1ConfigMapVolumeSource { Name = names.ExecutorPodTemplate },
            },
        ],
    };

    private static V1PodSecurityContext NotebookPodSecurity()
    {
        var context = SparkPodSecurity.Pod();
        // Skip the recursive chown of the whole volume on every start when ownership is already right.
        context.FsGroupChangePolicy = "OnRootMismatch";
        return context;
    }

    private static V1Container Container(ManifestInputs inputs)
    {
        var spec = inputs.Spec;
        var resources = new SortedDictionary<string, ResourceQuantity>(StringComparer.Ordinal)
        {
            ["cpu"] = new ResourceQuantity(spec.Notebook.Cpu),
            ["memory"] = new ResourceQuantity(spec.Notebook.Memory),
        };
        return new V1Container
        {
            Name = ContainerName,
            Image = inputs.Images.Jupyter,
            ImagePullPolicy = "IfNotPresent",
            // No command or args: the jupyter image's CMD starts the server with root_dir = WorkDir, on $JUPYTER_PORT, and
            // refuses to start without JUPYTER_TOKEN. Both come from the env below; the token is never an argument.
            Env = JupyterEnvironment.Build(inputs),
            Ports =
            [
                Port(NotebookPorts.Jupyter, spec.Notebook.Port),
                Port(SparkConventions.DriverPortName, spec.Spark.DriverPort),
                Port(SparkConventions.BlockManagerPortName, spec.Spark.BlockManagerPort),
                Port(SparkConventions.UiPortName, spec.Spark.UiPort),
            ],
            // Requests equal limits: Guaranteed QoS, so the node never evicts the driver of running sessions first.
            Resources = new V1ResourceRequirements { Requests = resources, Limits = new SortedDictionary<string, ResourceQuantity>(resources, StringComparer.Ordinal) },
            // The driver waits for its pod to be Ready before it asks for executors (DESIGN §4). Jupyter's /api
            // answers without authentication once the server is up.
            ReadinessProbe = new V1Probe
            {
                HttpGet = new V1HTTPGetAction { Path = "/api", Port = NotebookPorts.Jupyter },
                InitialDelaySeconds = 5,
                PeriodSeconds = 10,
                TimeoutSeconds = 5,
                FailureThreshold = 3,
            },
            // Restarts a hung server, but patiently: a kernel busy with a big collect() can slow /api down.
            LivenessProbe = new V1Probe
            {
                HttpGet = new V1HTTPGetAction { Path = "/api", Port = NotebookPorts.Jupyter },
                InitialDelaySeconds = 30,
                PeriodSeconds = 20,
                TimeoutSeconds = 10,
                FailureThreshold = 6,
            },
            SecurityContext = SparkPodSecurity.Container(),
            VolumeMounts =
            [
                new V1VolumeMount { Name = NotebooksVolume, MountPath = WorkDir },
                new V1VolumeMount { Name = ExecutorPodTemplateConfigMap.VolumeName, MountPath = ExecutorPodTemplateConfigMap.MountDir, ReadOnlyProperty = true },
            ],
        };
    }

    private static V1ContainerPort Port(string name, int port) => new() { Name = name, ContainerPort = port, Protocol = "TCP" };
}
