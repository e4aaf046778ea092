namespace Kindling.Spark;

/// <summary>
/// Conf keys Kindling derives itself for the notebook's client-mode driver and for submitted drivers. Setting them
/// in kindling.yaml's <c>spark.conf</c> would break the driver/executor wiring, so they are rejected with a pointer
/// to the setting that controls them.
/// </summary>
internal static class ManagedSparkConf
{
    /// <summary>Managed key -> why, or which kindling.yaml key to set instead.</summary>
    public static IReadOnlyDictionary<string, string> Keys { get; } = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        [SparkConfKeys.Master] = "it is always the in-cluster API server",
        [SparkConfKeys.DeployMode] = "the notebook is client mode and 'kindling submit' is cluster mode",
        [SparkConfKeys.DriverHost] = "it is the driver's headless Service",
        [SparkConfKeys.DriverPort] = "set spark.driverPort",
        [SparkConfKeys.DriverBlockManagerPort] = "set spark.blockManagerPort",
        [SparkConfKeys.DriverBindAddress] = "the driver binds to its pod address",
        [SparkConfKeys.UiPort] = "set spark.uiPort",
        [SparkConfKeys.Namespace] = "set namespace",
        [SparkConfKeys.ContainerImage] = "set spark.image or images.registry",
        [SparkConfKeys.DriverPodName] = "it is the notebook pod, so executors are owned by it",
        [SparkConfKeys.DriverServiceAccount] = "Kindling creates and uses its own ServiceAccount",
        [SparkConfKeys.ExecutorInstances] = "set spark.executors.instances",
        [SparkConfKeys.ExecutorCores] = "set spark.executors.cores",
        [SparkConfKeys.ExecutorMemory] = "set spark.executors.memory",
        [SparkConfKeys.DriverMemory] = "set spark.driver.memory",
        [SparkConfKeys.DriverCores] = "set spark.driver.cores",
        [SparkConfKeys.DynamicAllocationEnabled] = "set spark.dynamicAllocation.enabled",
        [SparkConfKeys.DynamicAllocationMinExecutors] = "set spark.dynamicAllocation.minExecutors",
        [SparkConfKeys.DynamicAllocationMaxExecutors] = "set spark.dynamicAllocation.maxExecutors",
        [SparkConfKeys.DynamicAllocationIdleTimeout] = "set spark.dynamicAllocation.idleTimeout",
        [SparkConfKeys.FileUploadPath] = "set spark.fileUploadPath",
        [SparkConfKeys.ExecutorPodTemplateFile] = "the notebook's executors start from Kindling's executor pod template, which makes them pass the namespace's restricted Pod Security",
        [SparkConfKeys.ExecutorPodTemplateContainerName] = "it names the container of Kindling's executor pod template",
    };
}
