using System.Globalization;
using Kindling.Resources;

namespace Kindling.Spark;

/// <summary>
/// The full resolved SparkConf written to the driver's <c>spark.properties</c>: the environment's conf, then the
/// application's, then what the submission client itself sets (<c>BasicDriverFeatureStep</c>,
/// <c>DriverServiceFeatureStep</c>, <c>DriverCommandFeatureStep</c> system properties).
/// </summary>
internal static class SparkDriverConf
{
    public static SortedDictionary<string, string> Resolve(
        SparkApplicationSpec spec, SparkSubmitTarget target, SparkNames names, SparkAppSources sources)
    {
        var conf = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (k, v) in target.BaseConf) conf[k] = v;
        foreach (var (k, v) in spec.Conf) conf[k] = v;
        string Str(int value) => value.ToString(CultureInfo.InvariantCulture);

        // Sizing: an explicit flag beats --conf, which beats the environment's defaults (spark-submit's order).
        conf[SparkConfKeys.DriverMemory] = spec.DriverMemory ?? Existing(conf, SparkConfKeys.DriverMemory) ?? target.DriverDefaults.Memory;
        conf[SparkConfKeys.DriverCores] = spec.DriverCores is { } dc ? Str(dc) : Existing(conf, SparkConfKeys.DriverCores) ?? Str(target.DriverDefaults.Cores);
        conf[SparkConfKeys.ExecutorMemory] = spec.ExecutorMemory ?? Existing(conf, SparkConfKeys.ExecutorMemory) ?? target.ExecutorDefaults.Memory;
        conf[SparkConfKeys.ExecutorCores] = spec.ExecutorCores is { } ec ? Str(ec) : Existing(conf, SparkConfKeys.ExecutorCores) ?? Str(target.ExecutorDefaults.Cores);
        conf[SparkConfKeys.ExecutorInstances] = spec.Executors is { } n ? Str(n) : Existing(conf, SparkConfKeys.ExecutorInstances) ?? Str(target.ExecutorDefaults.Instances);

        conf[SparkConfKeys.Master] = SparkConventions.InClusterMaster;
        conf[SparkConfKeys.DeployMode] = "cluster";
        conf[SparkConfKeys.Namespace] = target.Namespace;
        conf[SparkConfKeys.AppId] = names.AppId;
        conf[SparkConfKeys.AppName] = names.AppName;
        conf[SparkConfKeys.DriverPodName] = names.DriverPod;
        // KUBERNETES_DRIVER_SUBMIT_CHECK: tells the driver's own spark-submit it already runs in the cluster.
        conf[SparkConfKeys.SubmitInDriver] = "true";
        // Executors reach the driver through its headless Service, <svc>.<ns>.svc (DriverServiceFeatureStep).
        conf[SparkConfKeys.DriverHost] = $"{names.DriverService}.{target.Namespace}.svc";
        conf[SparkConfKeys.DriverPort] = Str(target.DriverPort);
        conf[SparkConfKeys.DriverBlockManagerPort] = Str(target.BlockManagerPort);
        conf[SparkConfKeys.UiPort] = Str(target.UiPort);
        conf[SparkConfKeys.ContainerImage] = target.Image;
        conf[SparkConfKeys.DriverServiceAccount] = target.ServiceAccount;
        conf.TryAdd(SparkConfKeys.ExecutorServiceAccount, target.ServiceAccount);
        // BasicDriverFeatureStep propagates the default factor so executors use it too (0.4 for Python).
        conf.TryAdd(SparkConfKeys.MemoryOverheadFactor,
            (spec.IsPython ? SparkMemory.NonJvmOverheadFactor : SparkMemory.JvmOverheadFactor).ToString(CultureInfo.InvariantCulture));
        // APP_RESOURCE_TYPE (DriverCommandFeatureStep): executors of Python apps get the Python overhead too.
        conf[SparkConfKeys.ResourceType] = spec.IsPython ? "python" : "java";
        // Without an explicit prefix the driver would derive a new uniqueId for executor names; pinning it
        // names executors <prefix>-exec-<n>, next to their driver.
        conf.TryAdd(SparkConfKeys.ExecutorPodNamePrefix, names.ResourcePrefix);
        conf[SparkConfKeys.ExecutorAnnotationPrefix + SparkConventions.IstioInjectAnnotation] = "false";
        conf.TryAdd(SparkConfKeys.ExecutorLabelPrefix + "app.kubernetes.io/managed-by", KindlingLabels.ManagedBy);
        if (target.FileUploadPath is not null) conf.TryAdd(SparkConfKeys.FileUploadPath, target.FileUploadPath);
        if (sources.PyFiles.Count > 0) conf[SparkConfKeys.PyFiles] = string.Join(',', sources.PyFiles);
        ApplyDependencies(conf, spec, sources);
        return conf;
    }

    /// <summary>
    /// What spark-submit's first (submitting) run writes for the dependency flags (<c>SparkSubmit.prepareSubmitEnvironment</c>
    /// OptionAssigners for Kubernetes cluster mode): <c>spark.jars</c> with the primary jar appended (from Spark 4,
    /// SPARK-47495, the driver's own spark-submit no longer adds it, so it must be here), <c>spark.files</c>,
    /// <c>spark.archives</c>, the Ivy keys the driver resolves <c>--packages</c> with, and the driver's JVM options.
    /// </summary>
    private static void ApplyDependencies(SortedDictionary<string, string> conf, SparkApplicationSpec spec, SparkAppSources sources)
    {
        var (deps, _) = SparkDependencies.Of(spec);
        SetList(conf, SparkConfKeys.Jars, sources.Jars);
        SetList(conf, SparkConfKeys.Files, sources.Files);
        SetList(conf, SparkConfKeys.Archives, sources.Archives);
        SetList(conf, SparkConfKeys.JarsPackages, deps.Packages);
        SetList(conf, SparkConfKeys.JarsRepositories, deps.Repositories);
        SetList(conf, SparkConfKeys.JarsExcludes, deps.Excludes);
        if (deps.DriverJavaOptions is { } javaOptions) conf[SparkConfKeys.DriverExtraJavaOptions] = javaOptions;
        if (deps.DerivedPysparkPython is { } python) conf[SparkConfKeys.PysparkPython] = python;
    }

    private static void SetList(SortedDictionary<string, string> conf, string key, IReadOnlyList<string> values)
    {
        if (values.Count > 0) conf[key] = string.Join(',', values);
        else conf.Remove(key);
    }

    private static string? Existing(SortedDictionary<string, string> conf, string key) =>
        conf.TryGetValue(key, out var value) ? value : null;
}
