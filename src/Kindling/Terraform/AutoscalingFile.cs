using Kindling.Resources;

namespace Kindling.Terraform;

/// <summary>
/// <c>autoscaling.tf</c>: what makes the node groups' min/max real. The Cluster Autoscaler's IRSA role (its
/// Deployment is applied by <c>kindling up</c>), and the optional executor node group with its label and taint.
/// </summary>
/// <remarks>
/// Policy: kubernetes/autoscaler cluster-autoscaler/cloudprovider/aws/README.md, "Full Cluster Autoscaler Features
/// Policy", with the two write actions limited by tag as that page recommends. EKS tags every managed node
/// group's Auto Scaling group with <c>k8s.io/cluster-autoscaler/enabled=true</c> and
/// <c>k8s.io/cluster-autoscaler/&lt;cluster&gt;=owned</c>, so the role can resize and terminate only this
/// cluster's groups, and the autoscaler finds them with <c>--node-group-auto-discovery</c> on the same tags.
/// </remarks>
internal static class AutoscalingFile
{
    /// <summary>The autoscaler's ServiceAccount in kube-system, trusted by its role.</summary>
    public const string ServiceAccount = "cluster-autoscaler";

    public static readonly string Content =
        $$"""
        resource "aws_iam_role" "cluster_autoscaler" {
          name = "${var.cluster_name}-cluster-autoscaler"
          {{IrsaTrustPolicy.Attribute("system:serviceaccount:kube-system:" + ServiceAccount)}}
        }

        resource "aws_iam_role_policy" "cluster_autoscaler" {
          name = "cluster-autoscaler"
          role = aws_iam_role.cluster_autoscaler.id
          policy = jsonencode({
            Version = "2012-10-17"
            Statement = [
              {
                # Reads: discovery of groups and instance types; Describe calls take no resource-level conditions.
                Effect = "Allow"
                Action = [
                  "autoscaling:DescribeAutoScalingGroups",
                  "autoscaling:DescribeAutoScalingInstances",
                  "autoscaling:DescribeLaunchConfigurations",
                  "autoscaling:DescribeScalingActivities",
                  "ec2:DescribeImages",
                  "ec2:DescribeInstanceTypes",
                  "ec2:DescribeLaunchTemplateVersions",
                  "ec2:GetInstanceTypesFromInstanceRequirements",
                  "eks:DescribeNodegroup",
                ]
                Resource = "*"
              },
              {
                # Writes: only on the Auto Scaling groups of this cluster's node groups.
                Effect   = "Allow"
                Action   = ["autoscaling:SetDesiredCapacity", "autoscaling:TerminateInstanceInAutoScalingGroup"]
                Resource = "*"
                Condition = {
                  StringEquals = {
                    "aws:ResourceTag/k8s.io/cluster-autoscaler/${var.cluster_name}" = "owned"
                    "aws:ResourceTag/k8s.io/cluster-autoscaler/enabled"             = "true"
                  }
                }
              },
            ]
          })
        }

        # Executors only: labelled and tainted, so nothing but executor pods (which select and tolerate it) runs
        # here, and a spot interruption never takes a driver or the notebook.
        resource "aws_eks_node_group" "executors" {
          count = var.executor_nodes ? 1 : 0

          cluster_name    = aws_eks_cluster.main.name
          node_group_name = "${var.cluster_name}-executors"
          node_role_arn   = aws_iam_role.node.arn
          subnet_ids      = [for s in aws_subnet.private : s.id]
          instance_types  = var.executor_instance_types
          capacity_type   = var.executor_capacity_type

          launch_template {
            id      = aws_launch_template.nodes.id
            version = aws_launch_template.nodes.latest_version
          }

          scaling_config {
            min_size     = var.executor_min_size
            desired_size = var.executor_min_size
            max_size     = var.executor_max_size
          }

          labels = {
            {{Hcl.Quote(NodePools.PoolLabel)}} = {{Hcl.Quote(NodePools.ExecutorPool)}}
          }

          taint {
            key    = {{Hcl.Quote(NodePools.ExecutorTaintKey)}}
            value  = {{Hcl.Quote(NodePools.ExecutorTaintValue)}}
            effect = "NO_SCHEDULE"
          }

          lifecycle {
            ignore_changes = [remote_access, scaling_config[0].desired_size]
          }

          depends_on = [
            aws_iam_role_policy_attachment.node,
            aws_route.private_nat,
            aws_route_table_association.private,
            aws_eks_addon.vpc_cni,
          ]
        }

        # Scaling from zero: with no node to look at, the autoscaler learns a group's labels and taints from these
        # Auto Scaling group tags (cloudprovider/aws/README.md, on scaling up from 0 nodes). Emulators report no
        # Auto Scaling group for a node group, so the tags follow var.eks_addons.
        locals {
          executor_node_template_tags = {
            "k8s.io/cluster-autoscaler/node-template/label/{{NodePools.PoolLabel}}" = {{Hcl.Quote(NodePools.ExecutorPool)}}
            "k8s.io/cluster-autoscaler/node-template/taint/{{NodePools.ExecutorTaintKey}}" = "{{NodePools.ExecutorTaintValue}}:{{NodePools.ExecutorTaintEffect}}"
          }
        }

        resource "aws_autoscaling_group_tag" "executor_node_template" {
          for_each = var.executor_nodes && var.eks_addons ? local.executor_node_template_tags : {}

          autoscaling_group_name = aws_eks_node_group.executors[0].resources[0].autoscaling_groups[0].name

          tag {
            key                 = each.key
            value               = each.value
            propagate_at_launch = false
          }
        }

        """;
}
