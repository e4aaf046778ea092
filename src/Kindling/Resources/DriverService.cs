using k8s.Models;

namespace Kindling.Resources;

/// <summary>
/// The headless Service that makes the notebook's client-mode driver routable: executors connect back to
/// <c>spark.driver.host</c> = <c>&lt;this service&gt;.&lt;namespace&gt;.svc</c>, which resolves straight to the
/// notebook pod's IP (DESIGN §4, problem §5.1 "Initial job has not accepted any resources").
/// </summary>
internal static class DriverService
{
    /// <summary>The DNS name executors use as <c>spark.driver.host</c>.</summary>
    public static string Host(ManifestInputs inputs) =>
        $"{new ResourceNames(inputs.Spec.Name).DriverService}.{inputs.Spec.Namespace}.svc";

    public static V1Service Build(ManifestInputs inputs)
    {
        var spark = inputs.Spec.Spark;
        return new V1Service
        {
            ApiVersion = "v1",
            Kind = "Service",
            Metadata = StandardLabels.Metadata(inputs, new ResourceNames(inputs.Spec.Name).DriverService, StandardLabels.JupyterApp, "driver"),
            Spec = new V1ServiceSpec
            {
                // Headless: DNS answers with the pod IP itself, as Spark's own driver Service does; there is no
                // virtual IP to load-balance because there is exactly one driver.
                ClusterIP = "None",
                // The A record exists before the pod is Ready. The notebook only turns Ready once Jupyter answers,
                // and Spark must be able to resolve its own driver host as soon as a session starts.
                PublishNotReadyAddresses = true,
                Selector = StandardLabels.NotebookSelector(inputs.Spec.Name),
                Ports =
                [
                    Port(NotebookPorts.DriverRpc, spark.DriverPort),
                    Port(NotebookPorts.BlockManager, spark.BlockManagerPort),
                    Port(NotebookPorts.SparkUi, spark.UiPort),
                ],
            },
        };
    }

    private static V1ServicePort Port(string name, int port) =>
        new() { Name = name, Protocol = "TCP", Port = port, TargetPort = port };
}
