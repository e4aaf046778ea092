# Envelope encryption of Kubernetes Secrets (EKS encryption_config). Rotated yearly by KMS; a destroyed key
# stays recoverable for 7 days.
resource "aws_kms_key" "secrets" {
  description             = "Envelope encryption of Kubernetes Secrets in EKS cluster ${var.cluster_name}"
  enable_key_rotation     = true
  deletion_window_in_days = 7
}

resource "aws_kms_alias" "secrets" {
  name          = "alias/${var.cluster_name}-secrets"
  target_key_id = aws_kms_key.secrets.key_id
}

# The cluster role uses the key for Secrets (the same grant the EKS user guide's encryption policy gives).
resource "aws_iam_role_policy" "cluster_kms" {
  name = "secrets-encryption"
  role = aws_iam_role.cluster.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect   = "Allow"
      Action   = ["kms:Encrypt", "kms:Decrypt", "kms:ListGrants", "kms:DescribeKey"]
      Resource = aws_kms_key.secrets.arn
    }]
  })
}

# EKS writes control-plane logs to exactly this group name; declaring it first gives it a retention period
# (EKS would create it without one) and lets destroy remove it.
resource "aws_cloudwatch_log_group" "cluster" {
  name              = "/aws/eks/${var.cluster_name}/cluster"
  retention_in_days = 90
}

# Nodes of both groups. IMDSv2 only, with a hop limit of 1: a pod (one network hop further) cannot reach
# the instance metadata service, so it cannot take the node role's credentials (EKS best practices,
# "Restrict access to the instance profile assigned to the worker node"). The root volume is encrypted gp3.
resource "aws_launch_template" "nodes" {
  name_prefix            = "${var.cluster_name}-nodes-"
  update_default_version = true

  metadata_options {
    http_endpoint               = "enabled"
    http_tokens                 = "required"
    http_put_response_hop_limit = 1
  }

  # /dev/xvda is the root device of the EKS-optimized Amazon Linux AMIs managed node groups launch.
  block_device_mappings {
    device_name = "/dev/xvda"

    ebs {
      volume_size           = var.node_disk_size
      volume_type           = "gp3"
      encrypted             = true
      delete_on_termination = true
    }
  }

  lifecycle {
    # Kindling sets no tag specifications. moto reports the template's own tags (default_tags) as a
    # "launch-template" tag specification of the template data, which AWS does not; ignoring the block keeps
    # that from planning a new template version, and with it a node group update, on every run.
    ignore_changes = [tag_specifications]
  }
}
