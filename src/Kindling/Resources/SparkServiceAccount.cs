using k8s.Models;

namespace Kindling.Resources;

/// <summary>
/// The identity of the notebook (a client-mode driver), of cluster-mode drivers and of their executors: the
/// start-up file names it in both <c>spark.kubernetes.authenticate.driver.serviceAccountName</c> and
/// <c>...executor.serviceAccountName</c>.
/// </summary>
internal static class SparkServiceAccount
{
    /// <summary>The annotation the EKS pod identity webhook reads to inject web-identity credentials (IRSA).</summary>
    public const string RoleArnAnnotation = "eks.amazonaws.com/role-arn";

    public static V1ServiceAccount Build(ManifestInputs inputs)
    {
        var metadata = StandardLabels.Metadata(inputs, new ResourceNames(inputs.Spec.Name).ServiceAccount, StandardLabels.SparkApp, "rbac");
        if (inputs.SparkRoleArn is { } role)
        {
            // The webhook mounts a projected token and sets AWS_ROLE_ARN / AWS_WEB_IDENTITY_TOKEN_FILE in every
            // pod of this account, which is what S3A's web-identity credentials provider reads.
            metadata.Annotations ??= new Dictionary<string, string>();
            metadata.Annotations[RoleArnAnnotation] = role;
        }
        return new V1ServiceAccount { ApiVersion = "v1", Kind = "ServiceAccount", Metadata = metadata };
    }
}
