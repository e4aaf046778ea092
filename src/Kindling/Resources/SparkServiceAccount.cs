using k8s.Models;

namespace Kindling.Resources;

/// <summary>
/// The identity of the notebook (a client-mode driver), of cluster-mode drivers and of their executors: the
/// start-up file names it in both <c>spark.kubernetes.authenticate.driver.serviceAccountName</c> and
/// <c>...executor.serviceAccountName</c>.
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
