namespace Kindling.Terraform;

/// <summary><c>outputs.tf</c>: what Kindling saves into local state after apply.</summary>
internal static class OutputsFile
{
    public static string Render() =>
        $$"""
        output "{{TerraformOutputNames.SparkRepositoryUrl}}" {
          description = "ECR repository for the Spark image (executors and cluster-mode drivers)."
          value       = aws_ecr_repository.spark.repository_url
        }

        output "{{TerraformOutputNames.JupyterRepositoryUrl}}" {
          description = "ECR repository for the Jupyter image (the notebook, a client-mode driver)."
          value       = aws_ecr_repository.jupyter.repository_url
        }

        output "{{TerraformOutputNames.ClusterName}}" {
          description = "EKS cluster name."
          value       = aws_eks_cluster.main.name
        }

        output "{{TerraformOutputNames.ClusterEndpoint}}" {
          description = "EKS API server endpoint."
          value       = aws_eks_cluster.main.endpoint
        }

        output "{{TerraformOutputNames.ClusterCertificateAuthority}}" {
          description = "Base64-encoded CA certificate of the EKS API server."
          value       = aws_eks_cluster.main.certificate_authority[0].data
        }

        output "{{TerraformOutputNames.OidcProviderArn}}" {
          description = "IAM OIDC provider of the cluster, trusted by IRSA roles."
          value       = aws_iam_openid_connect_provider.eks.arn
        }

        output "{{TerraformOutputNames.SparkRoleArn}}" {
          description = "IAM role of the Spark ServiceAccount (IRSA), which Kindling annotates it with."
          value       = aws_iam_role.spark.arn
        }

        output "{{TerraformOutputNames.ClusterAutoscalerRoleArn}}" {
          description = "IAM role of the Cluster Autoscaler's ServiceAccount (IRSA), which Kindling annotates it with."
          value       = aws_iam_role.cluster_autoscaler.arn
        }

        """;
}
