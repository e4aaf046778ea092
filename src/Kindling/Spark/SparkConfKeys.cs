namespace Kindling.Spark;

/// <summary>The Spark configuration keys Kindling reads or writes (Spark's <c>config/package.scala</c> and <c>k8s/Config.scala</c>).</summary>
public static class SparkConfKeys
{
    public const string Master = "spark.master";
    public const string DeployMode = "spark.submit.deployMode";
    public const string AppName = "spark.app.name";
    public const string AppId = "spark.app.id";
    public const string Namespace = "spark.kubernetes.namespace";
    public const string DriverPodName = "spark.kubernetes.driver.pod.name";
    public const string SubmitInDriver = "spark.kubernetes.submitInDriver";
    public const string DriverHost = "spark.driver.host";
    public const string DriverBindAddress = "spark.driver.bindAddress";
    public const string DriverPort = "spark.driver.port";
    public const string DriverBlockManagerPort = "spark.driver.blockManager.port";
    public const string UiPort = "spark.ui.port";
    public const string ContainerImage = "spark.kubernetes.container.image";
    public const string DriverServiceAccount = "spark.kubernetes.authenticate.driver.serviceAccountName";
    public const string ExecutorServiceAccount = "spark.kubernetes.authenticate.executor.serviceAccountName";
    public const string MemoryOverheadFactor = "spark.kubernetes.memoryOverheadFactor";
    public const string DriverMemoryOverheadFactor = "spark.driver.memoryOverheadFactor";
    public const string ExecutorMemoryOverheadFactor = "spark.executor.memoryOverheadFactor";
    public const string DriverMemory = "spark.driver.memory";
    public const string DriverMemoryOverhead = "spark.driver.memoryOverhead";
    public const string DriverCores = "spark.driver.cores";
    public const string DriverRequestCores = "spark.kubernetes.driver.request.cores";
    public const string DriverLimitCores = "spark.kubernetes.driver.limit.cores";
    public const string ExecutorMemory = "spark.executor.memory";
    public const string ExecutorMemoryOverhead = "spark.executor.memoryOverhead";
    public const string ExecutorCores = "spark.executor.cores";
    public const string ExecutorRequestCores = "spark.kubernetes.executor.request.cores";
    public const string ExecutorInstances = "spark.executor.instances";
    public const string ExecutorPodNamePrefix = "spark.kubernetes.executor.podNamePrefix";
    public const string ResourceType = "spark.kubernetes.resource.type";
    public const string Jars = "spark.jars";
    public const string PyFiles = "spark.submit.pyFiles";
    public const string Files = "spark.files";
    public const string Archives = "spark.archives";
    public const string JarsPackages = "spark.jars.packages";
    public const string JarsRepositories = "spark.jars.repositories";
    public const string JarsExcludes = "spark.jars.excludes";
    public const string DriverExtraJavaOptions = "spark.driver.extraJavaOptions";
    public const string RedactionRegex = "spark.redaction.regex";
    public const string PysparkPython = "spark.pyspark.python";
    public const string PysparkDriverPython = "spark.pyspark.driver.python";
    public const string FileUploadPath = "spark.kubernetes.file.upload.path";
    public const string DriverAnnotationPrefix = "spark.kubernetes.driver.annotation.";
    public const string ExecutorAnnotationPrefix = "spark.kubernetes.executor.annotation.";
    public const string DriverLabelPrefix = "spark.kubernetes.driver.label.";
    public const string ExecutorLabelPrefix = "spark.kubernetes.executor.label.";
}
