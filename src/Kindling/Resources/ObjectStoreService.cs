using k8s.Models;

namespace Kindling.Resources;

/// <summary>The ClusterIP Service Spark's S3A endpoint names (<see cref="ObjectStoreNames.Endpoint"/>).</summary>
internal static class ObjectStoreService
{
    public static V1Service Build(ManifestInputs inputs) => new()
    {
        ApiVersion = "v1",
        Kind = "Service",
        Metadata = StandardLabels.Metadata(inputs, ObjectStoreNames.Of(inputs.Spec.Name), ObjectStoreNames.App, ObjectStoreNames.Component),
        Spec = new V1ServiceSpec
        {
            Type = "ClusterIP",
            Selector = ObjectStoreNames.Selector(inputs.Spec.Name),
            Ports = [new V1ServicePort { Name = ObjectStoreNames.PortName, Protocol = "TCP", Port = ObjectStoreNames.Port, TargetPort = ObjectStoreNames.PortName }],
        },
    };
}
