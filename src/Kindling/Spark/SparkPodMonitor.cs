using Kindling.Configuration;

namespace Kindling.Spark;

/// <summary>
/// The Prometheus Operator PodMonitor for an environment's Spark drivers (cluster-mode driver pods and the
/// notebook): every pod of the namespace exposing the <c>spark-ui</c> port, scraped at the driver's own metrics and
/// at the executors' metrics the driver serves. The Operator ignores prometheus.io annotations, so there is no
/// double scrape where both exist.
/// </summary>
public static class SparkPodMonitor
{
    public const string Group = "monitoring.coreos.com";
    public const string Version = "v1";
    public const string Plural = "podmonitors";

    /// <summary>The name of the environment's PodMonitor.</summary>
    public static string Name(EnvironmentSpec spec) => $"{spec.Name}-spark";

    /// <summary>The object, as the server-side apply body.</summary>
    public static IReadOnlyDictionary<string, object> Build(EnvironmentSpec spec, IReadOnlyDictionary<string, string> labels) => new SortedDictionary<string, object>(StringComparer.Ordinal)
    {
        ["apiVersion"] = $"{Group}/{Version}",
        ["kind"] = "PodMonitor",
        ["metadata"] = new SortedDictionary<string, object>(StringComparer.Ordinal)
        {
            ["name"] = Name(spec),
            ["namespace"] = spec.Namespace,
            ["labels"] = labels,
        },
        ["spec"] = new SortedDictionary<string, object>(StringComparer.Ordinal)
        {
            ["namespaceSelector"] = new Dictionary<string, object> { ["matchNames"] = new[] { spec.Namespace } },
            // Every pod: only those with a spark-ui port become targets (drivers and the notebook; executors have none).
            ["selector"] = new Dictionary<string, object>(),
            ["podMetricsEndpoints"] = new[]
            {
                new Dictionary<string, object> { ["port"] = SparkConventions.UiPortName, ["path"] = SparkObservability.DriverMetricsPath },
                new Dictionary<string, object> { ["port"] = SparkConventions.UiPortName, ["path"] = SparkObservability.ExecutorMetricsPath },
            },
        },
    };
}
