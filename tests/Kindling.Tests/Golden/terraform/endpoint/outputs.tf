output "spark_repository_url" {
  description = "ECR repository for the Spark image (executors and cluster-mode drivers)."
  value       = aws_ecr_repository.spark.repository_url
}

output "jupyter_repository_url" {
  description = "ECR repository for the Jupyter image (the notebook, a client-mode driver)."
  value       = aws_ecr_repository.jupyter.repository_url
}

output "cluster_name" {
  description = "EKS cluster name."
  value       = aws_eks_cluster.main.name
}

output "cluster_endpoint" {
  description = "EKS API server endpoint."
  value       = aws_eks_cluster.main.endpoint
}

output "cluster_certificate_authority" {
  description = "Base64-encoded CA certificate of the EKS API server."
  value       = aws_eks_cluster.main.certificate_authority[0].data
}

output "oidc_provider_arn" {
  description = "IAM OIDC provider of the cluster, trusted by IRSA roles."
  value       = aws_iam_openid_connect_provider.eks.arn
}

output "spark_role_arn" {
  description = "IAM role of the Spark ServiceAccount (IRSA), which Kindling annotates it with."
  value       = aws_iam_role.spark.arn
}

output "cluster_autoscaler_role_arn" {
  description = "IAM role of the Cluster Autoscaler's ServiceAccount (IRSA), which Kindling annotates it with."
  value       = aws_iam_role.cluster_autoscaler.arn
}
