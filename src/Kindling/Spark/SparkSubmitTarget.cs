using Kindling.Configuration;
using Kindling.Resources;

namespace Kindling.Spark;

/// <summary>Where and with what a submission runs: everything besides the application itself.</summary>
public sealed record SparkSubmitTarget
{
    /// <summary>The namespace of the environment.</summary>
    public required string Namespace { get; init; }

    /// <summary>The Spark image (driver and executors).</summary>
    public required string Image { get; init; }

    /// <summary>The ServiceAccount the driver and executors run as (the environment's Role is bound to it).</summary>
    public required string ServiceAccount { get; init; }

    /// <summary>The Spark version, for the <c>spark-version</c> label.</summary>
    public required string SparkVersion { get; init; }

    /// <summary>Spark's major version (3 or 4), which decides the version-specific pod rules.</summary>
    public int SparkMajorVersion =>
        int.TryParse(SparkVersion.Split('.')[0], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var major) ? major : 3;

    /// <summary><c>SPARK_USER</c>: the submitting user, as spark-submit records it.</summary>
    public string SparkUser { get; init; } = "spark";

    /// <summary><c>spark.driver.port</c>.</summary>
    public int DriverPort { get; init; } = 7078;

    /// <summary><c>spark.driver.blockManager.port</c>.</summary>
    public int BlockManagerPort { get; init; } = 7079;

    /// <summary><c>spark.ui.port</c>.</summary>
    public int UiPort { get; init; } = 4040;

    /// <summary>Executor sizing used when the application does not set it.</summary>
    public ExecutorSpec ExecutorDefaults { get; init; } = new();

    /// <summary>Driver sizing used when the application does not set it.</summary>
    public DriverSpec DriverDefaults { get; init; } = new();

    /// <summary>Environment-wide Spark conf (<c>spark.conf</c> in kindling.yaml); the application's conf wins.</summary>
    public IReadOnlyDictionary<string, string> BaseConf { get; init; } = new Dictionary<string, string>();

    /// <summary>
    /// Where drivers and executors run (<see cref="SparkPlacement"/>): on Kindling's EKS drivers stay on on-demand
    /// nodes and executors go to the executor node group through the shipped executor pod template.
    /// </summary>
    public SparkPlacement Placement { get; init; } = SparkPlacement.None;

    /// <summary><c>spark.kubernetes.file.upload.path</c> for local files too large for a ConfigMap.</summary>
    public string? FileUploadPath { get; init; }

    /// <summary>
    /// The target of an environment. With <paramref name="sparkRoleArn"/> (the IRSA role from Terraform outputs),
    /// S3A is pointed at the web-identity credentials the ServiceAccount's pods receive.
    /// </summary>
    public static SparkSubmitTarget For(EnvironmentSpec spec, string sparkImage, string sparkUser, string? sparkRoleArn = null) => new()
    {
        Namespace = spec.Namespace,
        Image = sparkImage,
        ServiceAccount = new ResourceNames(spec.Name).ServiceAccount,
        SparkVersion = spec.Spark.Version,
        SparkUser = sparkUser,
        DriverPort = spec.Spark.DriverPort,
        BlockManagerPort = spec.Spark.BlockManagerPort,
        UiPort = spec.Spark.UiPort,
        ExecutorDefaults = spec.Spark.Executors,
        DriverDefaults = spec.Spark.Driver,
        BaseConf = SparkObservability.Merge(spec, clusterModeDriver: true, LocalObjectStoreConf.Under(spec, S3aCredentials.WithProvider(spec, sparkRoleArn))),
        FileUploadPath = spec.Spark.FileUploadPath,
    };
}
