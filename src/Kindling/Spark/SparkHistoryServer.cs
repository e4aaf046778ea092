using System.Globalization;
using Kindling.Configuration;

namespace Kindling.Spark;

/// <summary>
/// How a Spark History Server is started and configured, from Spark's own source and the official image:
/// <list type="bullet">
/// <item>apache/spark-docker <c>entrypoint.sh.template</c> execs any command other than <c>driver</c>/<c>executor</c>
/// ("pass-through mode"), so the Kindling Spark image runs the server with <c>spark-class</c> in the foreground.
/// <c>sbin/start-history-server.sh</c> goes through <c>spark-daemon.sh</c>, which daemonizes unless
/// <c>SPARK_NO_DAEMONIZE</c> is set, and would leave the container without its main process.</item>
/// <item><c>HistoryServerArguments</c> accepts <c>--properties-file</c>; <c>spark-class</c> sizes the JVM from
/// <c>SPARK_DAEMON_MEMORY</c> for this class (launcher <c>SparkClassCommandBuilder</c>).</item>
/// </list>
/// </summary>
public static class SparkHistoryServer
{
    /// <summary>The main class.</summary>
    public const string MainClass = "org.apache.spark.deploy.history.HistoryServer";

    /// <summary><c>spark-class</c> in the official image (<c>SPARK_HOME=/opt/spark</c>).</summary>
    public const string SparkClass = "/opt/spark/bin/spark-class";

    /// <summary><c>spark.history.ui.port</c>'s default, kept so Spark's documentation applies as written.</summary>
    public const int Port = 18080;

    /// <summary>The environment variable <c>spark-class</c> reads the History Server's heap from.</summary>
    public const string DaemonMemoryEnv = "SPARK_DAEMON_MEMORY";

    /// <summary>Where the properties file is mounted, and its name.</summary>
    public const string ConfDir = "/opt/kindling/history";

    /// <inheritdoc cref="ConfDir"/>
    public const string ConfFileName = "spark-history.properties";

    /// <summary>The REST API's application list (docs/monitoring.md, "REST API"); also the readiness probe.</summary>
    public const string ApplicationsPath = "/api/v1/applications";

    /// <summary>The History Server's page of one application (its Spark UI, rebuilt from the event log).</summary>
    public static string UiPath(string appId) => $"/history/{Uri.EscapeDataString(appId)}/";

    /// <summary>The container arguments (the image's entrypoint stays in front of them).</summary>
    public static IReadOnlyList<string> Args => [SparkClass, MainClass, "--properties-file", $"{ConfDir}/{ConfFileName}"];

    /// <summary>
    /// The server's conf for <paramref name="history"/>: the event log directory, both cleaners with the retention,
    /// and S3A credentials from the pod's web identity when it has an IRSA role.
    /// </summary>
    public static IReadOnlyDictionary<string, string> Conf(EnvironmentSpec spec, HistoryLocations history, string? roleArn) =>
        new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            ["spark.history.fs.logDirectory"] = history.EventLogDir,
            ["spark.history.ui.port"] = Port.ToString(CultureInfo.InvariantCulture),
            ["spark.history.fs.update.interval"] = "10s",
            ["spark.history.fs.cleaner.enabled"] = "true",
            ["spark.history.fs.cleaner.interval"] = "12h",
            ["spark.history.fs.cleaner.maxAge"] = spec.History.MaxAge,
            // FsHistoryProvider cleans driver logs under spark.driver.log.dfsDir, and only with the event-log cleaner on.
            ["spark.history.fs.driverlog.cleaner.enabled"] = "true",
            ["spark.history.fs.driverlog.cleaner.interval"] = "12h",
            ["spark.history.fs.driverlog.cleaner.maxAge"] = spec.History.MaxAge,
            [SparkObservability.DriverLogDfsDir] = history.DriverLogDir,
        }.WithS3aProvider(spec, roleArn).WithLocalStore(spec);

    /// <summary>The properties file, written the way spark-submit's own properties files are.</summary>
    public static string PropertiesFile(IReadOnlyDictionary<string, string> conf) =>
        SparkProperties.Write(conf, "Spark History Server conf, written by Kindling");

    /// <summary>
    /// JVM heap for a container memory limit: three quarters of it, leaving room for metaspace, threads and
    /// S3A's buffers, in whole MiB as <c>SPARK_DAEMON_MEMORY</c> expects (e.g. <c>1536m</c>).
    /// </summary>
    public static string HeapFor(long containerBytes) =>
        Math.Max(256, containerBytes * 3 / 4 / (1024 * 1024)).ToString(CultureInfo.InvariantCulture) + "m";

    // storage.local: S3A reads the logs from the in-cluster store, with the credentials its pod gets from the store's Secret.
    private static SortedDictionary<string, string> WithLocalStore(this SortedDictionary<string, string> conf, EnvironmentSpec spec)
    {
        foreach (var (key, value) in LocalObjectStoreConf.S3a(spec)) conf[key] = value;
        return conf;
    }

    private static SortedDictionary<string, string> WithS3aProvider(this SortedDictionary<string, string> conf, EnvironmentSpec spec, string? roleArn)
    {
        if (S3aCredentials.ProviderFor(spec, roleArn) is { } provider) conf[S3aCredentials.ProviderKey] = provider;
        return conf;
    }
}
