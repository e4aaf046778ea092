using k8s.Models;
using Kindling.Configuration;
using Kindling.Spark;

namespace Kindling.Resources;

/// <summary>The ConfigMap holding the History Server's properties file.</summary>
internal static class HistoryServerConfig
{
    public static V1ConfigMap Build(ManifestInputs inputs, HistoryLocations history) => new()
    {
        ApiVersion = "v1",
        Kind = "ConfigMap",
        Metadata = StandardLabels.Metadata(inputs, HistoryServerNames.Of(inputs.Spec.Name), HistoryServerNames.App, HistoryServerNames.Component),
        Data = new SortedDictionary<string, string>(StringComparer.Ordinal)
        {
            [SparkHistoryServer.ConfFileName] = Properties(inputs, history),
        },
    };

    public static string Properties(ManifestInputs inputs, HistoryLocations history) =>
        SparkHistoryServer.PropertiesFile(SparkHistoryServer.Conf(inputs.Spec, history, inputs.HistoryRoleArn));
}
