namespace Kindling.Terraform;

/// <summary>
/// <c>addons.tf</c>: the EKS add-ons a Kindling environment needs. The VPC CNI with network policy enabled, so the
/// environment's NetworkPolicy is enforced (EKS user guide, "Configure your cluster for Kubernetes network
/// policies"), and the EBS CSI driver, so the notebooks' PVC binds: clusters on Kubernetes 1.30 and later have no
/// default StorageClass and no in-tree EBS provisioner (EKS user guide, "Amazon EBS CSI driver").
/// </summary>
/// <remarks>
/// Emulators (moto 5.2.1) have no EKS add-on API, so the add-ons exist only when <c>var.eks_addons</c> is true,
/// which Kindling sets to false when <c>aws.endpoint</c> is set. The IRSA role is created either way.
/// </remarks>
internal static class AddonsFile
{
    /// <summary>The ServiceAccount of the EBS CSI controller that the add-on installs (kube-system).</summary>
    public const string EbsCsiServiceAccount = "ebs-csi-controller-sa";

    public static readonly string Content =
        $$"""
        resource "aws_eks_addon" "vpc_cni" {
          count = var.eks_addons ? 1 : 0

          cluster_name = aws_eks_cluster.main.name
          addon_name   = "vpc-cni"
          # The add-on schema takes the flag as a string.
          configuration_values = jsonencode({
            enableNetworkPolicy = "true"
          })
          # The cluster starts with a self-managed VPC CNI; the managed add-on takes its fields over.
          resolve_conflicts_on_create = "OVERWRITE"
          resolve_conflicts_on_update = "OVERWRITE"
        }

        # The EBS CSI controller's own identity: only its ServiceAccount, with tokens for STS, may assume the role,
        # which carries the AWS managed AmazonEBSCSIDriverPolicy and nothing else.
        resource "aws_iam_role" "ebs_csi" {
          name = "${var.cluster_name}-ebs-csi"
          {{IrsaTrustPolicy.Attribute("system:serviceaccount:kube-system:" + EbsCsiServiceAccount)}}
        }

        resource "aws_iam_role_policy_attachment" "ebs_csi" {
          role       = aws_iam_role.ebs_csi.name
          policy_arn = "${local.managed_policy_prefix}/service-role/AmazonEBSCSIDriverPolicy"
        }

        resource "aws_eks_addon" "ebs_csi" {
          count = var.eks_addons ? 1 : 0

          cluster_name                = aws_eks_cluster.main.name
          addon_name                  = "aws-ebs-csi-driver"
          service_account_role_arn    = aws_iam_role.ebs_csi.arn
          resolve_conflicts_on_create = "OVERWRITE"
          resolve_conflicts_on_update = "OVERWRITE"

          # The controller Deployment only becomes ready once nodes exist to run it.
          depends_on = [aws_eks_node_group.main, aws_iam_role_policy_attachment.ebs_csi]
        }

        """;
}
