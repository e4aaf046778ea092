using k8s.Models;

namespace Kindling.Spark;

/// <summary>One port of a driver Service: a port name (IANA service name, at most 15 characters) and its number.</summary>
/// <param name="Name">The port's name.</param>
/// <param name="Number">The port number; the Service forwards it to the same container port.</param>
public sealed record DriverServicePort(string Name, int Number);

/// <summary>
/// The headless Service that makes a Spark driver routable: executors connect to <c>spark.driver.host</c> =
/// <c>&lt;service&gt;.&lt;namespace&gt;.svc</c>, which resolves straight to the driver pod's IP. Spark's
/// <c>DriverServiceFeatureStep</c> builds it for cluster-mode drivers; Kindling builds the same shape for the
/// notebook pod, the client-mode driver of every notebook session. One builder serves both.
/// </summary>
internal static class HeadlessDriverService
{
    /// <summary>The Service.</summary>
    /// <param name="metadata">Name, namespace and labels of the Service.</param>
    /// <param name="selector">Labels selecting exactly the driver pod.</param>
    /// <param name="ports">The driver's ports, each forwarded to the same container port.</param>
    /// <param name="publishNotReadyAddresses">
    /// Whether DNS answers before the pod is Ready. The notebook pod is Ready only once Jupyter answers, while a
    /// session may resolve its own driver host before that; Spark's own driver Service does not set it.
    /// </param>
    public static V1Service Build(V1ObjectMeta metadata, IDictionary<string, string> selector, IEnumerable<DriverServicePort> ports, bool publishNotReadyAddresses = false) => new()
    {
        ApiVersion = "v1",
        Kind = "Service",
        Metadata = metadata,
        Spec = new V1ServiceSpec
        {
            // Headless: no virtual IP to load-balance, because there is exactly one driver pod.
            ClusterIP = "None",
            PublishNotReadyAddresses = publishNotReadyAddresses ? true : null,
            Selector = new SortedDictionary<string, string>(selector, StringComparer.Ordinal),
            // A Service has no port ranges (a ServicePort is one port), so every port is listed one by one. No
            // protocol, as DriverServiceFeatureStep writes them: the API server defaults it to TCP.
            Ports = ports.Select(p => new V1ServicePort { Name = p.Name, Port = p.Number, TargetPort = p.Number }).ToList(),
        },
    };
}
