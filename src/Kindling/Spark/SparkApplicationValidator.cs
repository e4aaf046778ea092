namespace Kindling.Spark;

/// <summary>Checks a <see cref="SparkApplicationSpec"/> before anything is read, uploaded or created.</summary>
internal static class SparkApplicationValidator
{
    // Keys Kindling derives itself. Spark's DriverServiceFeatureStep refuses spark.driver.host and
    // spark.driver.bindAddress in Kubernetes mode; the others would contradict the objects Kindling creates.
    private static readonly Dictionary<string, string> ManagedKeys = new(StringComparer.Ordinal)
    {
        [SparkConfKeys.DriverHost] = "the driver's host is its headless Service",
        [SparkConfKeys.DriverBindAddress] = "the driver binds to its pod IP (SPARK_DRIVER_BIND_ADDRESS)",
        [SparkConfKeys.Master] = "Kindling submits to the cluster of the current kubeconfig context",
        [SparkConfKeys.DeployMode] = "kindling submit runs the driver in the cluster (cluster mode)",
        [SparkConfKeys.AppId] = "the application id is generated per submission",
        [SparkConfKeys.Namespace] = "the namespace comes from kindling.yaml",
        [SparkConfKeys.SubmitInDriver] = "it is set for the driver's own spark-submit",
    };

    private static readonly string[] ReservedLabels =
        [SparkConventions.AppIdLabel, SparkConventions.RoleLabel, SparkConventions.VersionLabel, SparkConventions.AppNameLabel, SparkConventions.ExecutorIdLabel];

    public static IReadOnlyList<InputError> Validate(SparkApplicationSpec spec)
    {
        var errors = new List<InputError>();
        void Add(string path, string message) => errors.Add(new InputError(null, path, message));

        if (string.IsNullOrWhiteSpace(spec.Resource))
            Add("resource", "an application file or URI is required (app.py, app.jar, local:///opt/app.py, s3a://bucket/app.jar)");
        else if (!spec.IsPython && string.IsNullOrWhiteSpace(spec.MainClass))
            Add("--class", $"'{spec.Resource}' is a JVM application, so its main class is required (--class com.example.Main)");

        if (spec.Executors is < 0) Add("--executors", $"{spec.Executors} is negative");
        if (spec.ExecutorCores is < 1) Add("--executor-cores", $"{spec.ExecutorCores} must be at least 1");
        if (spec.DriverCores is < 1) Add("--driver-cores", $"{spec.DriverCores} must be at least 1");
        CheckMemory(spec.ExecutorMemory, "--executor-memory", errors);
        CheckMemory(spec.DriverMemory, "--driver-memory", errors);

        foreach (var (key, value) in spec.Conf)
        {
            var path = $"--conf {key}";
            if (string.IsNullOrWhiteSpace(key)) Add("--conf", "a key is empty");
            else if (ManagedKeys.TryGetValue(key, out var why)) Add(path, $"is set by Kindling and cannot be overridden: {why}");
            else if (key is SparkConfKeys.DriverMemory or SparkConfKeys.ExecutorMemory
                     or SparkConfKeys.DriverMemoryOverhead or SparkConfKeys.ExecutorMemoryOverhead)
                CheckMemory(value, path, errors);
            else if (key is SparkConfKeys.ExecutorInstances or SparkConfKeys.ExecutorCores or SparkConfKeys.DriverCores
                     && !int.TryParse(value, out _))
                Add(path, $"'{value}' is not a whole number");
            else if (key is SparkConfKeys.MemoryOverheadFactor or SparkConfKeys.DriverMemoryOverheadFactor or SparkConfKeys.ExecutorMemoryOverheadFactor
                     && !(double.TryParse(value, System.Globalization.CultureInfo.InvariantCulture, out var f) && f > 0))
                Add(path, $"'{value}' is not a positive number such as 0.2");
            foreach (var prefix in new[] { SparkConfKeys.DriverLabelPrefix, SparkConfKeys.ExecutorLabelPrefix })
                if (key.StartsWith(prefix, StringComparison.Ordinal) && ReservedLabels.Contains(key[prefix.Length..]))
                    Add(path, $"label {key[prefix.Length..]} is reserved for Spark's bookkeeping");
        }

        errors.AddRange(SparkDependencies.Of(spec).Errors);

        try
        {
            SparkNames.For(spec.EffectiveName, Placeholder);
        }
        catch (InvalidInputException e)
        {
            errors.AddRange(e.Errors);
        }
        return errors;
    }

    private static readonly SparkIds Placeholder = new("spark-0", "000000", "000000", "000000", "0", "0");

    private static void CheckMemory(string? value, string path, List<InputError> errors)
    {
        if (value is null) return;
        try
        {
            SparkMemory.ParseMiB(value, path);
        }
        catch (InvalidInputException e)
        {
            errors.AddRange(e.Errors);
        }
    }
}
