resource "aws_iam_role" "cluster_autoscaler" {
  name = "${var.cluster_name}-cluster-autoscaler"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Federated = aws_iam_openid_connect_provider.eks.arn }
      Action    = "sts:AssumeRoleWithWebIdentity"
      Condition = {
        StringEquals = {
          "${local.oidc_issuer_host}:sub" = "system:serviceaccount:kube-system:cluster-autoscaler"
          "${local.oidc_issuer_host}:aud" = "sts.amazonaws.com"
        }
      }
    }]
  })
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
    "kindling.dev/node-pool" = "executors"
  }

  taint {
    key    = "kindling.dev/executors"
    value  = "true"
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
    "k8s.io/cluster-autoscaler/node-template/label/kindling.dev/node-pool" = "executors"
    "k8s.io/cluster-autoscaler/node-template/taint/kindling.dev/executors" = "true:NoSchedule"
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
