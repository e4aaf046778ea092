namespace Kindling.Spark;

/// <summary>
/// The fixed names Spark's Kubernetes resource manager and the apache/spark-docker entrypoint rely on
/// (<c>resource-managers/kubernetes/core/.../deploy/k8s/Constants.scala</c>). Kindling builds the driver pod
/// itself, so these must match what Spark's own submission client would produce.
/// </summary>
public static class SparkConventions
{
    /// <summary>Label holding the application id; Spark selects its executors by it (<c>SPARK_APP_ID_LABEL</c>).</summary>
    public const string AppIdLabel = "spark-app-selector";

    /// <summary>Label holding <c>driver</c> or <c>executor</c> (<c>SPARK_ROLE_LABEL</c>).</summary>
    public const string RoleLabel = "spark-role";

    /// <summary>Label holding the normalised application name, at most 63 characters (<c>SPARK_APP_NAME_LABEL</c>).</summary>
    public const string AppNameLabel = "spark-app-name";

    /// <summary>Label holding the Spark version (<c>SPARK_VERSION_LABEL</c>, Spark 3.5+).</summary>
    public const string VersionLabel = "spark-version";

    /// <summary>Executor id label Spark puts on executor pods (<c>SPARK_EXECUTOR_ID_LABEL</c>).</summary>
    public const string ExecutorIdLabel = "spark-exec-id";

    /// <summary><see cref="RoleLabel"/> value of the driver.</summary>
    public const string DriverRole = "driver";

    /// <summary><see cref="RoleLabel"/> value of executors.</summary>
    public const string ExecutorRole = "executor";

    /// <summary>The driver container's name (<c>DEFAULT_DRIVER_CONTAINER_NAME</c>).</summary>
    public const string DriverContainerName = "spark-kubernetes-driver";

    /// <summary>The executor container's name (<c>DEFAULT_EXECUTOR_CONTAINER_NAME</c>).</summary>
    public const string ExecutorContainerName = "spark-kubernetes-executor";

    /// <summary>Port names on the driver container and Service (<c>DRIVER_PORT_NAME</c>, <c>BLOCK_MANAGER_PORT_NAME</c>, <c>UI_PORT_NAME</c>).</summary>
    public const string DriverPortName = "driver-rpc-port";

    /// <inheritdoc cref="DriverPortName"/>
    public const string BlockManagerPortName = "blockmanager";

    /// <inheritdoc cref="DriverPortName"/>
    public const string UiPortName = "spark-ui";

    /// <summary>Where the driver reads its resolved conf (<c>SPARK_CONF_DIR_INTERNAL</c>).</summary>
    public const string ConfDir = "/opt/spark/conf";

    /// <summary>The conf file inside <see cref="ConfDir"/> and its ConfigMap key (<c>SPARK_CONF_FILE_NAME</c>).</summary>
    public const string ConfFileName = "spark.properties";

    /// <summary>The conf ConfigMap's volume on the driver (<c>SPARK_CONF_VOLUME_DRIVER</c>).</summary>
    public const string ConfVolumeName = "spark-conf-volume-driver";

    /// <summary>In-cluster API server URL the driver talks to (<c>KUBERNETES_MASTER_INTERNAL_URL</c>).</summary>
    public const string InClusterMaster = "k8s://https://kubernetes.default.svc";

    /// <summary>The main class for Python applications; spark-submit runs .py resources through it.</summary>
    public const string PythonRunnerClass = "org.apache.spark.deploy.PythonRunner";

    /// <summary>Kubernetes' limit for DNS-1123 labels and Service names (<c>KUBERNETES_DNS_LABEL_NAME_MAX_LENGTH</c>).</summary>
    public const int MaxLabelLength = 63;

    /// <summary>Kubernetes' limit for DNS-1123 subdomains: ConfigMap and Pod names (<c>KUBERNETES_DNS_SUBDOMAIN_NAME_MAX_LENGTH</c>).</summary>
    public const int MaxSubdomainLength = 253;

    /// <summary>
    /// Istio's per-pod opt-out. A sidecar keeps the pod Running after the driver exits and races executors
    /// for the network at start, so Spark pods never get one.
    /// </summary>
    public const string IstioInjectAnnotation = "sidecar.istio.io/inject";

    /// <summary>
    /// Where Kindling mounts small local application files shipped in a ConfigMap. Deliberately outside the
    /// image's work dir <c>/opt/spark/work-dir</c>: spark-submit copies <c>local://</c> resources into the
    /// working directory and would otherwise overwrite its own source.
    /// </summary>
    public const string ShippedFilesDir = "/opt/kindling/app";

    /// <summary>Volume name of <see cref="ShippedFilesDir"/>.</summary>
    public const string ShippedFilesVolumeName = "kindling-app-files";

    /// <summary>Annotation with the requested executor count, so listings can show running/requested.</summary>
    public const string ExecutorsRequestedAnnotation = "kindling.dev/executors-requested";
}
