using k8s.Models;

namespace Kindling.Resources;

/// <summary>
/// The identity of the notebook (a client-mode driver), of cluster-mode drivers and of their executors.
/// Executors use it too: Spark falls back to the driver's account when
/// <c>spark.kubernetes.authenticate.executor.serviceAccountName</c> is unset.
/// </summary>
internal static class SparkServiceAccount
{
    public static V1ServiceAccount Build(ManifestInputs inputs) => new()
    {
        ApiVersion = "v1",
        Kind = "ServiceAccount",
        Metadata = StandardLabels.Metadata(inputs, new ResourceNames(inputs.Spec.Name).ServiceAccount, StandardLabels.SparkApp, "rbac"),
    };
}
