using k8s.Models;
using Kindling.Spark;

namespace Kindling.Resources;

/// <summary>
/// The ClusterIP Service of the History Server: <c>kindling history</c> port-forwards to it, and <c>apps --all</c>
/// reads its REST API through the API server's service proxy.
/// </summary>
internal static class HistoryServerService
{
    public static V1Service Build(ManifestInputs inputs) => new()
    {
        ApiVersion = "v1",
        Kind = "Service",
        Metadata = StandardLabels.Metadata(inputs, HistoryServerNames.Of(inputs.Spec.Name), HistoryServerNames.App, HistoryServerNames.Component),
        Spec = new V1ServiceSpec
        {
            Type = "ClusterIP",
            Selector = HistoryServerNames.Selector(inputs.Spec.Name),
            Ports = [new V1ServicePort { Name = HistoryServerNames.PortName, Protocol = "TCP", Port = SparkHistoryServer.Port, TargetPort = HistoryServerNames.PortName }],
        },
    };
}
