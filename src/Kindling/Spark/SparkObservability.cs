using System.Globalization;
using Kindling.Configuration;

namespace Kindling.Spark;

/// <summary>
/// The conf that makes every notebook session and submission observable after the fact: event logs for the
/// History Server, driver logs Spark persists itself, and Prometheus endpoints on the driver UI. Pure function of
/// the spec; kindling.yaml's <c>spark.conf</c> wins over every key here.
/// </summary>
public static class SparkObservability
{
    public const string EventLogEnabled = "spark.eventLog.enabled";
    public const string EventLogDir = "spark.eventLog.dir";
    public const string EventLogRolling = "spark.eventLog.rolling.enabled";
    public const string EventLogRollingMaxFileSize = "spark.eventLog.rolling.maxFileSize";
    public const string EventLogCompress = "spark.eventLog.compress";
    public const string EventLogCompressionCodec = "spark.eventLog.compression.codec";
    public const string DriverLogPersist = "spark.driver.log.persistToDfs.enabled";
    public const string DriverLogDfsDir = "spark.driver.log.dfsDir";
    public const string UiPrometheus = "spark.ui.prometheus.enabled";
    public const string PrometheusSinkClass = "spark.metrics.conf.*.sink.prometheusServlet.class";
    public const string PrometheusSinkPath = "spark.metrics.conf.*.sink.prometheusServlet.path";

    /// <summary>Path of the driver's own metrics (PrometheusServlet sink) on the Spark UI port.</summary>
    public const string DriverMetricsPath = "/metrics/prometheus";

    /// <summary>
    /// Path of every executor's metrics, served by the driver (<c>spark.ui.prometheus.enabled</c>, core
    /// <c>config/UI.scala</c>: "Expose executor metrics at /metrics/executors/prometheus").
    /// </summary>
    public const string ExecutorMetricsPath = "/metrics/executors/prometheus";

    /// <summary>The prometheus.io annotations community scrape configs (and most Prometheus charts) honour.</summary>
    public const string ScrapeAnnotation = "prometheus.io/scrape";

    /// <inheritdoc cref="ScrapeAnnotation"/>
    public const string PortAnnotation = "prometheus.io/port";

    /// <inheritdoc cref="ScrapeAnnotation"/>
    public const string PathAnnotation = "prometheus.io/path";

    /// <summary>
    /// DriverLogger's file name: <c>&lt;dfsDir&gt;/&lt;sanitized app id&gt;_driver.log</c> (core
    /// <c>util/logging/DriverLogger.scala</c>, <c>DRIVER_LOG_FILE_SUFFIX = "_" + "driver.log"</c>, Spark 3.3+ and 4.x).
    /// </summary>
    public const string DriverLogSuffix = "_driver.log";

    /// <summary>
    /// The scrape annotations of a pod whose Spark UI listens on <paramref name="uiPort"/>: the driver's own
    /// metrics. Executors serve no HTTP; their metrics come from the driver at <see cref="ExecutorMetricsPath"/>.
    /// </summary>
    public static IReadOnlyDictionary<string, string> DriverScrapeAnnotations(int uiPort) => new SortedDictionary<string, string>(StringComparer.Ordinal)
    {
        [ScrapeAnnotation] = "true",
        [PortAnnotation] = uiPort.ToString(CultureInfo.InvariantCulture),
        [PathAnnotation] = DriverMetricsPath,
    };

    /// <summary>
    /// Event-log, driver-log and metrics conf of <paramref name="spec"/>. With <paramref name="clusterModeDriver"/>
    /// the driver pod's scrape annotations are passed as <c>spark.kubernetes.driver.annotation.*</c>; a notebook pod
    /// carries them on its Deployment instead.
    /// </summary>
    public static IReadOnlyDictionary<string, string> Conf(EnvironmentSpec spec, bool clusterModeDriver)
    {
        var conf = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            // Spark 3.x defaults this to false, 4.x to true (core config/UI.scala); set so both behave the same.
            [UiPrometheus] = "true",
            // The PrometheusServlet sink serves the driver's metrics on the UI port (docs/monitoring.md, "Metrics").
            [PrometheusSinkClass] = "org.apache.spark.metrics.sink.PrometheusServlet",
            [PrometheusSinkPath] = DriverMetricsPath,
            // Executors have no HTTP endpoint to scrape: say so rather than let an annotation-driven scraper guess.
            [SparkConfKeys.ExecutorAnnotationPrefix + ScrapeAnnotation] = "false",
        };
        if (clusterModeDriver)
            foreach (var (key, value) in DriverScrapeAnnotations(spec.Spark.UiPort)) conf[SparkConfKeys.DriverAnnotationPrefix + key] = value;

        if (HistoryLocations.Of(spec) is { } history)
        {
            conf[EventLogEnabled] = "true";
            conf[EventLogDir] = history.EventLogDir;
            // Rolling logs (Spark 3.0+) bound each S3 object, and an application that never ends cleanly still leaves
            // its finished parts readable; zstd keeps S3 volume and History Server parsing small.
            conf[EventLogRolling] = "true";
            conf[EventLogRollingMaxFileSize] = "128m";
            conf[EventLogCompress] = "true";
            conf[EventLogCompressionCodec] = "zstd";
            // DriverLogger runs only in client deploy mode (Utils.isClientMode). The notebook is client mode, and so
            // is the cluster-mode driver's in-pod spark-submit: the image entrypoint passes --deploy-mode client
            // (apache/spark-docker entrypoint.sh.template, "driver)"), which wins over the properties file.
            conf[DriverLogPersist] = "true";
            conf[DriverLogDfsDir] = history.DriverLogDir;
        }
        return conf;
    }

    /// <summary><paramref name="overrides"/> over <see cref="Conf"/>: what the user set in kindling.yaml wins.</summary>
    public static IReadOnlyDictionary<string, string> Merge(EnvironmentSpec spec, bool clusterModeDriver, IReadOnlyDictionary<string, string> overrides)
    {
        var merged = new SortedDictionary<string, string>(Conf(spec, clusterModeDriver).ToDictionary(), StringComparer.Ordinal);
        foreach (var (key, value) in overrides) merged[key] = value;
        return merged;
    }

    /// <summary>The object key of an application's persisted driver log under <paramref name="driverLogDir"/>.</summary>
    public static string DriverLogPath(string driverLogDir, string appId) => $"{driverLogDir.TrimEnd('/')}/{SanitizeDirName(appId)}{DriverLogSuffix}";

    // Utils.sanitizeDirName: ' ', ':' and '/' become '-', '.', '$', '{', '}', quotes become '_', then lowercase.
    private static string SanitizeDirName(string value)
    {
        var chars = value.Select(c => c switch
        {
            ' ' or ':' or '/' => '-',
            '.' or '$' or '{' or '}' or '\'' or '"' => '_',
            _ => c,
        }).ToArray();
        return new string(chars).ToLowerInvariant();
    }
}
