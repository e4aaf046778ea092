using System.Text.Json.Nodes;
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

    /// <summary>The object, as the server-side apply body (a JSON tree: KubernetesClient.Aot sends only string patch bodies).</summary>
    public static JsonObject Build(EnvironmentSpec spec, IReadOnlyDictionary<string, string> labels) => new()
    {
        ["apiVersion"] = $"{Group}/{Version}",
        ["kind"] = "PodMonitor",
        ["metadata"] = new JsonObject
        {
            ["name"] = Name(spec),
            ["namespace"] = spec.Namespace,
            ["labels"] = new JsonObject(labels.OrderBy(l => l.Key, StringComparer.Ordinal).Select(l => KeyValuePair.Create(l.Key, (JsonNode?)l.Value))),
        },
        ["spec"] = new JsonObject
        {
            ["namespaceSelector"] = new JsonObject { ["matchNames"] = new JsonArray(spec.Namespace) },
            // Every pod: only those with a spark-ui port become targets (drivers and the notebook; executors have none).
            ["podMetricsEndpoints"] = new JsonArray(
                new JsonObject { ["path"] = SparkObservability.DriverMetricsPath, ["port"] = SparkConventions.UiPortName },
                new JsonObject { ["path"] = SparkObservability.ExecutorMetricsPath, ["port"] = SparkConventions.UiPortName }),
            ["selector"] = new JsonObject(),
        },
    };
}
