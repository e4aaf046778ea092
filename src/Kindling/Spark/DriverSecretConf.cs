using System.Text;
using k8s.Models;

namespace Kindling.Spark;

/// <summary>
/// The secret part of a submitted driver's conf, kept out of its <c>spark.properties</c> ConfigMap (which anyone who
/// may read ConfigMaps can read) and given to the driver the way Spark itself accepts conf from the environment.
/// <para>
/// How it reaches the driver: the image entrypoint's <c>driver</c> branch runs <c>bin/spark-submit</c>
/// (apache/spark-docker <c>entrypoint.sh</c>); the launcher puts <c>$SPARK_SUBMIT_OPTS</c> on the JVM's command line,
/// split with bash quoting rules (<c>SparkSubmitCommandBuilder.buildSparkSubmitCommand</c>, <c>addOptionString</c> →
/// <c>CommandBuilderUtils.parseOptionString</c>); every <c>-Dspark.*</c> system property is loaded by <c>new SparkConf()</c>
/// in <c>SparkSubmitArguments.toSparkConf</c>, beneath the properties file, and client mode hands the conf to the
/// application (<c>JavaMainApplication</c>, and PySpark's JVM-side <c>SparkConf</c>). Executors get it from the driver at
/// registration, as with any conf. So <c>SPARK_SUBMIT_OPTS</c> is an env var read through <c>secretKeyRef</c> from a
/// Secret the driver pod owns, and the values appear in no pod spec, ConfigMap or output.
/// </para>
/// <para>
/// Which keys: those matching the conf's redaction pattern (<see cref="SparkRedaction.Pattern"/>), except the keys
/// <c>spark-submit</c> reads from the properties file itself before a SparkConf exists
/// (<c>SparkSubmitArguments.loadEnvironmentArguments</c>) or that Kindling manages, which must stay in the file, and
/// the Kubernetes Secret references (<c>spark.kubernetes.*.secrets.*</c>, <c>*.secretKeyRef.*</c>,
/// <c>container.image.pullSecrets</c>), whose values are
/// Secret names already visible in the pod spec. A matching <c>spark.kubernetes.driverEnv.NAME</c> also becomes the
/// env var NAME read from the same Secret, instead of a plain value as Spark's <c>BasicDriverFeatureStep</c> would write.
/// </para>
/// </summary>
/// <param name="Conf">The secret conf keys and values (ordinal-sorted).</param>
/// <param name="Env">The Secret's data: env var name → value, <c>SPARK_SUBMIT_OPTS</c> included when there is any secret.</param>
internal sealed record DriverSecretConf(IReadOnlyDictionary<string, string> Conf, IReadOnlyDictionary<string, string> Env)
{
    /// <summary>The launcher's extra JVM options variable.</summary>
    public const string SubmitOptsVariable = "SPARK_SUBMIT_OPTS";

    private const string DriverEnvPrefix = "spark.kubernetes.driverEnv.";
    private const string DriverSecretKeyRefPrefix = "spark.kubernetes.driver.secretKeyRef.";

    /// <summary>No secret conf.</summary>
    public static DriverSecretConf None { get; } = new(new Dictionary<string, string>(), new Dictionary<string, string>());

    /// <summary>True when nothing is secret: no Secret is created and the pod is exactly Spark's.</summary>
    public bool IsEmpty => Conf.Count == 0;

    // spark-submit reads these from the properties file before any SparkConf exists
    // (SparkSubmitArguments.loadEnvironmentArguments), so they must stay in it whatever the redaction pattern says.
    private static readonly HashSet<string> ReadBySubmit = new(StringComparer.Ordinal)
    {
        SparkConfKeys.Master, "spark.remote", "spark.driver.extraClassPath", SparkConfKeys.DriverExtraJavaOptions,
        "spark.driver.extraLibraryPath", SparkConfKeys.DriverMemory, SparkConfKeys.DriverCores, SparkConfKeys.ExecutorMemory,
        SparkConfKeys.ExecutorCores, "spark.cores.max", SparkConfKeys.AppName, SparkConfKeys.Jars, SparkConfKeys.Files,
        SparkConfKeys.Archives, SparkConfKeys.PyFiles, "spark.jars.ivy", "spark.jars.ivySettings", SparkConfKeys.JarsPackages,
        SparkConfKeys.JarsExcludes, SparkConfKeys.JarsRepositories, SparkConfKeys.DeployMode, SparkConfKeys.ExecutorInstances,
        "spark.yarn.queue", "spark.kerberos.keytab", "spark.kerberos.principal", SparkConfKeys.DynamicAllocationEnabled,
        SparkConfKeys.RedactionRegex,
    };

    /// <summary>Whether <paramref name="key"/> must stay in <c>spark.properties</c> whatever the redaction pattern says.</summary>
    public static bool StaysInPropertiesFile(string key) =>
        ReadBySubmit.Contains(key) || ManagedSparkConf.Keys.ContainsKey(key) || IsSecretReference(key);

    /// <summary>
    /// Splits a driver's resolved conf. <paramref name="templateEnv"/> is the Spark container's env from a driver pod
    /// template: a plain <c>SPARK_SUBMIT_OPTS</c> there (or in <c>spark.kubernetes.driverEnv.SPARK_SUBMIT_OPTS</c>) is kept,
    /// ahead of the secret options, since the driver can have only one such variable.
    /// </summary>
    public static DriverSecretConf Resolve(IReadOnlyDictionary<string, string> conf, IReadOnlyList<V1EnvVar>? templateEnv, List<InputError> problems)
    {
        ArgumentNullException.ThrowIfNull(conf);
        var pattern = SparkRedaction.Pattern(conf);
        var secret = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in conf)
        {
            if (pattern.IsMatch(key) && !StaysInPropertiesFile(key)) secret[key] = value;
        }
        if (secret.Count == 0) return None;

        var env = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (key, value) in secret)
        {
            if (key.StartsWith(DriverEnvPrefix, StringComparison.Ordinal) && key.Length > DriverEnvPrefix.Length)
                env[key[DriverEnvPrefix.Length..]] = value;
        }

        var userOpts = conf.TryGetValue(DriverEnvPrefix + SubmitOptsVariable, out var fromConf) ? fromConf : null;
        if (userOpts is null && templateEnv?.LastOrDefault(e => e.Name == SubmitOptsVariable) is { } fromTemplate)
        {
            if (fromTemplate.ValueFrom is not null)
                problems.Add(new InputError(null, "--conf " + SparkConfKeys.DriverPodTemplateFile,
                    $"the driver template's {SubmitOptsVariable} comes from a {(fromTemplate.ValueFrom.SecretKeyRef is not null ? "Secret" : "reference")}, " +
                    $"but Kindling passes the secret conf ({string.Join(", ", secret.Keys)}) through {SubmitOptsVariable}; " +
                    "set those JVM options with --driver-java-options or spark.kubernetes.driverEnv.SPARK_SUBMIT_OPTS instead"));
            else userOpts = fromTemplate.Value;
        }
        var options = JavaOptions(secret);
        env[SubmitOptsVariable] = string.IsNullOrWhiteSpace(userOpts) ? options : userOpts + " " + options;

        foreach (var name in env.Keys)
        {
            if (conf.ContainsKey(DriverSecretKeyRefPrefix + name))
                problems.Add(new InputError(null, "--conf " + DriverSecretKeyRefPrefix + name,
                    $"sets {name} from another Secret, but Kindling sets {name} from the driver's own Secret " +
                    (name == SubmitOptsVariable ? "to pass the secret conf" : $"for spark.kubernetes.driverEnv.{name}") +
                    "; remove one of the two"));
        }
        return new DriverSecretConf(secret, env);
    }

    /// <summary>The secret conf as JVM system properties, each quoted for bash-like splitting (<c>parseOptionString</c>).</summary>
    public static string JavaOptions(IEnumerable<KeyValuePair<string, string>> conf) =>
        string.Join(' ', conf.Select(kv => Quote($"-D{kv.Key}={kv.Value}")));

    /// <summary>
    /// Single quotes keep every character literally (backslashes, double quotes, spaces, newlines); a single quote
    /// itself closes the quote, is escaped, and reopens it: <c>'it'\''s'</c>.
    /// </summary>
    private static string Quote(string value)
    {
        var sb = new StringBuilder(value.Length + 2).Append('\'');
        foreach (var c in value)
        {
            if (c == '\'') sb.Append("'\\''");
            else sb.Append(c);
        }
        return sb.Append('\'').ToString();
    }

    private static bool IsSecretReference(string key) =>
        key.StartsWith("spark.kubernetes.driver.secrets.", StringComparison.Ordinal) ||
        key.StartsWith("spark.kubernetes.executor.secrets.", StringComparison.Ordinal) ||
        key.StartsWith(DriverSecretKeyRefPrefix, StringComparison.Ordinal) ||
        key.StartsWith("spark.kubernetes.executor.secretKeyRef.", StringComparison.Ordinal) ||
        key == "spark.kubernetes.container.image.pullSecrets";
}
