namespace Kindling.Configuration;

/// <summary>
/// The whole environment as described by <c>kindling.yaml</c>. Every property has a default, so
/// <c>new EnvironmentSpec()</c> is the complete built-in environment. Instances are immutable: derive
/// variants with <c>with</c> expressions.
/// </summary>
public sealed record EnvironmentSpec
{
    /// <summary>Environment name: a DNS-1123 label used as the app name and in every resource name.</summary>
    public string Name { get; init; } = "kindling";

    /// <summary>Kubernetes namespace everything is deployed into.</summary>
    public string Namespace { get; init; } = "kindling";

    /// <summary>Spark version, images and sizing.</summary>
    public SparkSpec Spark { get; init; } = new();

    /// <summary>The Jupyter notebook server, which is also the client-mode Spark driver.</summary>
    public NotebookSpec Notebook { get; init; } = new();

    /// <summary>Where images come from and whether Kindling builds them.</summary>
    public ImagesSpec Images { get; init; } = new();

    /// <summary>AWS infrastructure provisioned by Terraform.</summary>
    public AwsSpec Aws { get; init; } = new();

    /// <summary>How the Terraform executable is run.</summary>
    public TerraformSpec Terraform { get; init; } = new();

    /// <summary>Event logs, persisted driver logs and the Spark History Server (see <see cref="HistorySpec"/>).</summary>
    public HistorySpec History { get; init; } = new();

    /// <summary>Which kind of cluster the environment runs on (see <see cref="ClusterSpec"/>).</summary>
    public ClusterSpec Cluster { get; init; } = new();

    /// <summary>The optional in-cluster S3-compatible object store (see <see cref="StorageSpec"/>).</summary>
    public StorageSpec Storage { get; init; } = new();
}

/// <summary>Spark settings shared by the notebook driver, submitted applications and their executors.</summary>
public sealed record SparkSpec
{
    /// <summary>
    /// Apache Spark version; the images are built from the official image of this version. Supported releases and
    /// their image variants: <see cref="Kindling.Spark.Images.SparkImageVariants"/>.
    /// </summary>
    public string Version { get; init; } = Kindling.Spark.Images.SparkImageVariants.DefaultSparkVersion;

    /// <summary>Scala build of the official image (part of its tag).</summary>
    public string ScalaVersion { get; init; } = Kindling.Spark.Images.SparkImageVariants.DefaultScalaVersion;

    /// <summary>Java major version of the official image (part of its tag).</summary>
    public int JavaVersion { get; init; } = Kindling.Spark.Images.SparkImageVariants.DefaultJavaVersion;

    /// <summary>
    /// Python major.minor shipped in the official image. Both images share it, so the notebook kernel and
    /// the executors' PYSPARK_PYTHON always agree.
    /// </summary>
    public string PythonVersion { get; init; } = Kindling.Spark.Images.SparkImageVariants.DefaultPythonVersion;

    /// <summary>
    /// Maven coordinates (<c>groupId:artifactId:version</c>) resolved with their dependencies into the Spark image's
    /// jars at build time, so drivers and executors have them without reaching a repository at run time.
    /// </summary>
    public IReadOnlyList<string> Packages { get; init; } = [];

    /// <summary>pip requirement lines installed in the Spark image, and so in the notebook built FROM it.</summary>
    public IReadOnlyList<string> PythonPackages { get; init; } = [];

    /// <summary>An explicit Spark image reference. When null, the image comes from the registry (config or Terraform outputs).</summary>
    public string? Image { get; init; }

    /// <summary>Executor sizing.</summary>
    public ExecutorSpec Executors { get; init; } = new();

    /// <summary>Driver sizing (cluster-mode submissions; the notebook's own size is in <see cref="NotebookSpec"/>).</summary>
    public DriverSpec Driver { get; init; } = new();

    /// <summary>Dynamic allocation, on by default so idle sessions give executors back.</summary>
    public DynamicAllocationSpec DynamicAllocation { get; init; } = new();

    /// <summary>Fixed driver RPC port (<c>spark.driver.port</c>); fixed so the Service and NetworkPolicy can expose it.</summary>
    public int DriverPort { get; init; } = 7078;

    /// <summary>Fixed block manager port (<c>spark.driver.blockManager.port</c>).</summary>
    public int BlockManagerPort { get; init; } = 7079;

    /// <summary>Spark UI port (<c>spark.ui.port</c>).</summary>
    public int UiPort { get; init; } = 4040;

    /// <summary>
    /// How many Spark sessions (kernels) the notebook pod can run at once. Each gets its own driver and block manager
    /// port (session i: driverPort + 2i, blockManagerPort + 2i), all exposed by the driver Service and NetworkPolicy.
    /// </summary>
    public int NotebookSessions { get; init; } = 8;

    /// <summary><c>spark.kubernetes.file.upload.path</c>: an s3a:// location for local files too large for a ConfigMap.</summary>
    public string? FileUploadPath { get; init; }

    /// <summary>Extra Spark configuration applied to every session and submission.</summary>
    public IReadOnlyDictionary<string, string> Conf { get; init; } = new SortedDictionary<string, string>(StringComparer.Ordinal);
}

/// <summary>Executor sizing, in Spark's own units.</summary>
public sealed record ExecutorSpec
{
    /// <summary><c>spark.executor.instances</c>; with dynamic allocation, the initial and default maximum count.</summary>
    public int Instances { get; init; } = 2;

    /// <summary><c>spark.executor.cores</c>.</summary>
    public int Cores { get; init; } = 1;

    /// <summary><c>spark.executor.memory</c>, a JVM memory string such as <c>2g</c> or <c>512m</c>.</summary>
    public string Memory { get; init; } = "2g";
}

/// <summary>Driver sizing for cluster-mode submissions.</summary>
public sealed record DriverSpec
{
    /// <summary><c>spark.driver.cores</c>.</summary>
    public int Cores { get; init; } = 1;

    /// <summary><c>spark.driver.memory</c>, a JVM memory string.</summary>
    public string Memory { get; init; } = "1g";
}

/// <summary>Dynamic allocation with shuffle tracking (no external shuffle service exists on Kubernetes).</summary>
public sealed record DynamicAllocationSpec
{
    /// <summary><c>spark.dynamicAllocation.enabled</c>.</summary>
    public bool Enabled { get; init; } = true;

    /// <summary><c>spark.dynamicAllocation.minExecutors</c>; 0 lets an idle notebook hold no executors.</summary>
    public int MinExecutors { get; init; }

    /// <summary><c>spark.dynamicAllocation.maxExecutors</c>.</summary>
    public int MaxExecutors { get; init; } = 10;

    /// <summary><c>spark.dynamicAllocation.executorIdleTimeout</c>, a Spark duration such as <c>60s</c>.</summary>
    public string IdleTimeout { get; init; } = "60s";
}

/// <summary>The Jupyter server.</summary>
public sealed record NotebookSpec
{
    /// <summary>An explicit Jupyter image reference. When null, the image comes from the registry.</summary>
    public string? Image { get; init; }

    /// <summary>CPU request and limit, a Kubernetes quantity.</summary>
    public string Cpu { get; init; } = "1";

    /// <summary>Memory request and limit, a Kubernetes quantity.</summary>
    public string Memory { get; init; } = "4Gi";

    /// <summary>Size of the notebooks' PersistentVolumeClaim, a Kubernetes quantity.</summary>
    public string StorageSize { get; init; } = "10Gi";

    /// <summary>StorageClass of the PVC; null uses the cluster default.</summary>
    public string? StorageClass { get; init; }

    /// <summary>Port Jupyter listens on.</summary>
    public int Port { get; init; } = 8888;
}

/// <summary>Image registry and build settings.</summary>
public sealed record ImagesSpec
{
    /// <summary>
    /// Registry prefix, e.g. <c>123456789012.dkr.ecr.eu-west-1.amazonaws.com</c>. Images are
    /// <c>&lt;registry&gt;/spark</c> and <c>&lt;registry&gt;/jupyter</c>. When null, Terraform outputs are used after
    /// <c>infra apply</c>, and a local placeholder before it.
    /// </summary>
    public string? Registry { get; init; }

    /// <summary>Whether Kindling builds the images; false means the given images are used as they are.</summary>
    public bool Build { get; init; } = true;

    /// <summary>Image tag; null derives it from the Spark version and a hash of the Dockerfiles.</summary>
    public string? Tag { get; init; }

    /// <summary>
    /// Platform the images are built for (<c>linux/amd64</c> or <c>linux/arm64</c>); null derives it from
    /// <c>aws.nodeInstanceType</c> (Graviton types are arm64).
    /// </summary>
    public string? Platform { get; init; }
}

/// <summary>AWS infrastructure.</summary>
public sealed record AwsSpec
{
    /// <summary>AWS region.</summary>
    public string Region { get; init; } = "eu-west-1";

    /// <summary>EKS cluster name.</summary>
    public string ClusterName { get; init; } = "kindling";

    /// <summary>EKS Kubernetes version, one of <see cref="EksVersions.All"/>.</summary>
    public string KubernetesVersion { get; init; } = EksVersions.Default;

    /// <summary>VPC CIDR block.</summary>
    public string VpcCidr { get; init; } = "10.0.0.0/16";

    /// <summary>Exactly three availability zones, each with a public and a private subnet inside the VPC.</summary>
    public IReadOnlyList<AvailabilityZoneSpec> AvailabilityZones { get; init; } =
    [
        new() { Name = "eu-west-1a", PublicSubnet = "10.0.0.0/20", PrivateSubnet = "10.0.48.0/20" },
        new() { Name = "eu-west-1b", PublicSubnet = "10.0.16.0/20", PrivateSubnet = "10.0.64.0/20" },
        new() { Name = "eu-west-1c", PublicSubnet = "10.0.32.0/20", PrivateSubnet = "10.0.80.0/20" },
    ];

    /// <summary>Node group instance type.</summary>
    public string NodeInstanceType { get; init; } = "m5.large";

    /// <summary>Managed node group scaling.</summary>
    public NodeGroupSpec NodeGroup { get; init; } = new();

    /// <summary>
    /// One endpoint URL for every AWS service the module uses (LocalStack, moto). Null means real AWS.
    /// </summary>
    public string? Endpoint { get; init; }

    /// <summary>
    /// S3 buckets Spark pods may read and write through the IRSA role (bucket names, not URLs). The bucket of
    /// <c>spark.fileUploadPath</c> is granted as well without being listed.
    /// </summary>
    public IReadOnlyList<string> S3Buckets { get; init; } = [];

    /// <summary>
    /// IPv4 CIDRs that may reach the public EKS API endpoint. Null: <c>infra apply</c> looks up the public address of
    /// the machine running it and allows that /32 only; the endpoint is never open to the world by default.
    /// </summary>
    public IReadOnlyList<string>? ApiAccessCidrs { get; init; }

    /// <summary>True turns the public API endpoint off; the API is then reachable from inside the VPC only.</summary>
    public bool PrivateApi { get; init; }

    /// <summary>
    /// Prefix of the ECR repository names (<c>&lt;prefix&gt;/spark</c>, <c>&lt;prefix&gt;/jupyter</c>), so two environments
    /// in one account and region do not share repositories. Null keeps <c>spark</c> and <c>jupyter</c>.
    /// </summary>
    public string? EcrPrefix { get; init; }

    /// <summary>An optional second node group for executors only (spot capacity, typically). Null: none.</summary>
    public ExecutorNodesSpec? ExecutorNodes { get; init; }
}

/// <summary>
/// The executor node group: labelled and tainted so only executor pods run there, while drivers and the notebook
/// stay on the on-demand main group; a spot interruption then loses executors, never a driver.
/// </summary>
public sealed record ExecutorNodesSpec
{
    /// <summary>
    /// Instance types to draw from. Several types of one size and architecture make spot capacity more available.
    /// </summary>
    public IReadOnlyList<string> InstanceTypes { get; init; } = ["m5.xlarge", "m5a.xlarge", "m6i.xlarge"];

    /// <summary><c>SPOT</c> or <c>ON_DEMAND</c>.</summary>
    public string CapacityType { get; init; } = "SPOT";

    /// <summary>Minimum node count; 0 lets the group scale to nothing when no executor runs.</summary>
    public int Min { get; init; }

    /// <summary>Maximum node count.</summary>
    public int Max { get; init; } = 10;
}

/// <summary>One availability zone and its two subnets.</summary>
public sealed record AvailabilityZoneSpec
{
    /// <summary>AZ name, e.g. <c>eu-west-1a</c>.</summary>
    public string Name { get; init; } = "";

    /// <summary>Public subnet CIDR (load balancers, NAT gateway).</summary>
    public string PublicSubnet { get; init; } = "";

    /// <summary>Private subnet CIDR (nodes).</summary>
    public string PrivateSubnet { get; init; } = "";
}

/// <summary>Managed node group scaling.</summary>
public sealed record NodeGroupSpec
{
    /// <summary>Minimum node count.</summary>
    public int Min { get; init; } = 1;

    /// <summary>Desired node count.</summary>
    public int Desired { get; init; } = 2;

    /// <summary>Maximum node count.</summary>
    public int Max { get; init; } = 4;
}

/// <summary>How Terraform runs.</summary>
public sealed record TerraformSpec
{
    /// <summary>
    /// A local provider mirror for offline or air-gapped machines (<c>terraform init -plugin-dir</c>).
    /// The env var <c>KINDLING_TF_PLUGIN_DIR</c> overrides it.
    /// </summary>
    public string? PluginDir { get; init; }
}
