namespace Kindling.Terraform;

/// <summary>The outputs the module declares and Kindling reads back after <c>apply</c>.</summary>
public static class TerraformOutputNames
{
    /// <summary>ECR repository URL of the Spark image.</summary>
    public const string SparkRepositoryUrl = "spark_repository_url";

    /// <summary>ECR repository URL of the Jupyter image.</summary>
    public const string JupyterRepositoryUrl = "jupyter_repository_url";

    /// <summary>EKS cluster name.</summary>
    public const string ClusterName = "cluster_name";

    /// <summary>EKS API server endpoint.</summary>
    public const string ClusterEndpoint = "cluster_endpoint";

    /// <summary>Base64 PEM of the cluster CA.</summary>
    public const string ClusterCertificateAuthority = "cluster_certificate_authority";

    /// <summary>ARN of the IAM OIDC provider, for IRSA role trust policies.</summary>
    public const string OidcProviderArn = "oidc_provider_arn";

    /// <summary>
    /// ARN of the Spark pods' IAM role (IRSA). Optional: state saved before the role existed lacks it, and
    /// Kindling then leaves the ServiceAccount unannotated.
    /// </summary>
    public const string SparkRoleArn = "spark_role_arn";

    /// <summary>ARN of the History Server's read-only role (IRSA); absent or null when history is off.</summary>
    public const string HistoryRoleArn = "history_role_arn";

    /// <summary>The outputs Kindling requires, in the order they are reported when missing.</summary>
    public static IReadOnlyList<string> Required { get; } =
        [SparkRepositoryUrl, JupyterRepositoryUrl, ClusterName, ClusterEndpoint, ClusterCertificateAuthority];
}
