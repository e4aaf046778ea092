using k8s.Models;
using Kindling.Spark;

namespace Kindling.Resources;

/// <summary>
/// The headless Service that makes the notebook's client-mode driver routable: executors connect back to
/// <c>spark.driver.host</c> = <c>&lt;this service&gt;.&lt;namespace&gt;.svc</c>, which resolves straight to the
/// notebook pod's IP (DESIGN §4, problem §5.1 "Initial job has not accepted any resources"). Same shape as a
/// cluster-mode driver's Service (<see cref="HeadlessDriverService"/>), selecting the notebook pod.
/// </summary>
internal static class DriverService
{
    /// <summary>The DNS name executors use as <c>spark.driver.host</c>.</summary>
    public static string Host(ManifestInputs inputs) =>
        $"{new ResourceNames(inputs.Spec.Name).DriverService}.{inputs.Spec.Namespace}.svc";

    public static V1Service Build(ManifestInputs inputs)
    {
        var spark = inputs.Spec.Spark;
        return HeadlessDriverService.Build(
            StandardLabels.Metadata(inputs, new ResourceNames(inputs.Spec.Name).DriverService, StandardLabels.JupyterApp, "driver"),
            StandardLabels.NotebookSelector(inputs.Spec.Name),
            [
                new(SparkConventions.DriverPortName, spark.DriverPort),
                new(SparkConventions.BlockManagerPortName, spark.BlockManagerPort),
                new(SparkConventions.UiPortName, spark.UiPort),
            ],
            // The A record exists before the pod is Ready. The notebook only turns Ready once Jupyter answers, and
            // Spark must be able to resolve its own driver host as soon as a session starts.
            publishNotReadyAddresses: true);
    }
}
