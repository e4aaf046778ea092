using k8s.Models;

namespace Kindling.Resources;

/// <summary>
/// The History Server's own identity: it reads event logs and deletes expired ones, and must not share the write
/// access the Spark pods' role has. With IRSA it carries the read-only history role.
/// </summary>
internal static class HistoryServerAccount
{
    public static V1ServiceAccount Build(ManifestInputs inputs)
    {
        var metadata = StandardLabels.Metadata(inputs, HistoryServerNames.Of(inputs.Spec.Name), HistoryServerNames.App, HistoryServerNames.Component);
        if (inputs.HistoryRoleArn is { } role)
            metadata.Annotations = new Dictionary<string, string> { [SparkServiceAccount.RoleArnAnnotation] = role };
        // It never calls the Kubernetes API, so it gets no token (the IRSA webhook projects its own).
        return new V1ServiceAccount { ApiVersion = "v1", Kind = "ServiceAccount", Metadata = metadata, AutomountServiceAccountToken = false };
    }
}
