namespace Kindling.Spark.Notebook;

/// <summary>
/// The environment variables through which the Jupyter Deployment tells the notebook's start-up file
/// (<c>00-kindling-spark.py</c>) how to build a client-mode SparkSession. The Python file reads exactly these
/// names; a test feeds the rendered Deployment's env into it, so the two sides cannot drift apart.
/// </summary>
public static class NotebookEnvironment
{
    /// <summary>Executor image (<c>spark.kubernetes.container.image</c>).</summary>
    public const string Image = "SPARK_IMAGE";

    /// <summary><c>spark.master</c>.</summary>
    public const string Master = "SPARK_MASTER";

    /// <summary><c>spark.kubernetes.namespace</c>.</summary>
    public const string Namespace = "SPARK_NAMESPACE";

    /// <summary>The notebook pod's own name, from the downward API (<c>metadata.name</c>).</summary>
    public const string DriverPodName = "SPARK_DRIVER_POD_NAME";

    /// <summary>The notebook pod's IP, from the downward API (<c>status.podIP</c>).</summary>
    public const string DriverPodIp = "SPARK_DRIVER_POD_IP";

    /// <summary><c>spark.driver.host</c>: the headless driver Service's DNS name.</summary>
    public const string DriverHost = "SPARK_DRIVER_HOST";

    /// <summary><c>spark.driver.port</c>.</summary>
    public const string DriverPort = "SPARK_DRIVER_PORT";

    /// <summary><c>spark.driver.blockManager.port</c>.</summary>
    public const string BlockManagerPort = "SPARK_BLOCKMANAGER_PORT";

    /// <summary><c>spark.ui.port</c>.</summary>
    public const string UiPort = "SPARK_UI_PORT";

    /// <summary><c>spark.kubernetes.authenticate.driver.serviceAccountName</c>.</summary>
    public const string ServiceAccount = "SPARK_SERVICE_ACCOUNT";

    /// <summary><c>spark.executor.instances</c>.</summary>
    public const string ExecutorInstances = "SPARK_EXECUTOR_INSTANCES";

    /// <summary><c>spark.executor.cores</c>.</summary>
    public const string ExecutorCores = "SPARK_EXECUTOR_CORES";

    /// <summary><c>spark.executor.memory</c>.</summary>
    public const string ExecutorMemory = "SPARK_EXECUTOR_MEMORY";

    /// <summary><c>spark.dynamicAllocation.enabled</c> (<c>true</c>/<c>false</c>).</summary>
    public const string DynamicAllocationEnabled = "SPARK_DYNAMIC_ALLOCATION_ENABLED";

    /// <summary><c>spark.dynamicAllocation.minExecutors</c>.</summary>
    public const string DynamicAllocationMinExecutors = "SPARK_DYNAMIC_ALLOCATION_MIN_EXECUTORS";

    /// <summary><c>spark.dynamicAllocation.maxExecutors</c>.</summary>
    public const string DynamicAllocationMaxExecutors = "SPARK_DYNAMIC_ALLOCATION_MAX_EXECUTORS";

    /// <summary><c>spark.dynamicAllocation.executorIdleTimeout</c>.</summary>
    public const string DynamicAllocationIdleTimeout = "SPARK_DYNAMIC_ALLOCATION_EXECUTOR_IDLE_TIMEOUT";

    /// <summary>
    /// <c>spark.hadoop.fs.s3a.aws.credentials.provider</c>: the web-identity provider when the ServiceAccount has
    /// an IRSA role. Absent otherwise, so S3A keeps its default chain.
    /// </summary>
    public const string S3aCredentialsProvider = "SPARK_S3A_CREDENTIALS_PROVIDER";

    /// <summary>
    /// Extra Spark conf from <c>spark.conf</c> in kindling.yaml, as one JSON object with ordinal-sorted keys. JSON
    /// rather than one variable per key, because conf keys contain dots and any character a value may need.
    /// Absent when there is no extra conf.
    /// </summary>
    public const string ExtraConf = "SPARK_EXTRA_CONF_JSON";

    /// <summary>
    /// <c>spark.kubernetes.executor.podTemplateFile</c>: Kindling's executor pod template, mounted into the notebook pod
    /// (restricted Pod Security for the executors).
    /// </summary>
    public const string ExecutorPodTemplateFile = "SPARK_EXECUTOR_POD_TEMPLATE_FILE";

    /// <summary>The port Jupyter listens on; jupyter_server reads this variable itself.</summary>
    public const string JupyterPort = "JUPYTER_PORT";

    /// <summary>The Jupyter token; jupyter_server reads this variable itself, so the token never appears in args.</summary>
    public const string JupyterToken = "JUPYTER_TOKEN";
}
