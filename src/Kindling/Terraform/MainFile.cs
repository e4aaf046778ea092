using System.Text;
using Kindling.Configuration;
using Kindling.Resources;

namespace Kindling.Terraform;

/// <summary>
/// <c>main.tf</c>: the provider, then network, registries, IAM, EKS and IRSA (the OIDC provider and the Spark role); the
/// security, add-on and autoscaling resources are in their own files. Only the provider block depends
/// on the config directly (the endpoint override); everything else reads variables.
/// </summary>
internal static class MainFile
{
    /// <summary>The AWS services the module calls, all redirected when <c>aws.endpoint</c> is set.</summary>
    internal static readonly string[] EndpointServices = ["autoscaling", "ec2", "ecr", "eks", "iam", "kms", "logs", "s3", "sts"];

    public static string Render(EnvironmentSpec spec) => Provider(spec.Aws.Endpoint) + Body;

    private static string Provider(string? endpoint)
    {
        var sb = new StringBuilder();
        sb.Append(
            """
            provider "aws" {
              region = var.region

            """);
        if (endpoint is not null)
        {
            // An emulator (LocalStack, moto) accepts any credentials and has no STS account lookup or instance
            // metadata, so the provider's start-up checks against real AWS are skipped.
            sb.Append(
                """

                  skip_credentials_validation = true
                  skip_requesting_account_id  = true
                  skip_metadata_api_check     = true

                  endpoints {

                """);
            var quoted = Hcl.Quote(endpoint);
            var width = EndpointServices.Max(s => s.Length);
            foreach (var service in EndpointServices) sb.Append($"    {service.PadRight(width)} = {quoted}\n");
            sb.Append("  }\n");
        }
        sb.Append(
            $$"""

              default_tags {
                tags = {
                  {{Hcl.Quote(KindlingLabels.Inventory)}} = var.name
                }
              }
            }


            """);
        return sb.ToString();
    }

    private static readonly string Body =
        $$"""
        data "aws_partition" "current" {}

        locals {
          # Tags that let the AWS load balancer controller and the cloud provider find the cluster's subnets.
          cluster_tag = "kubernetes.io/cluster/${var.cluster_name}"
          # One NAT gateway, in the first zone: enough for nodes to pull images, at a third of the cost of one per zone.
          nat_zone              = sort(keys(var.availability_zones))[0]
          managed_policy_prefix = "arn:${data.aws_partition.current.partition}:iam::aws:policy"
        }

        resource "aws_vpc" "main" {
          cidr_block = var.vpc_cidr
          # EKS nodes register under their private DNS names, which need both settings.
          enable_dns_support   = true
          enable_dns_hostnames = true

          tags = {
            Name = "${var.name}-vpc"
          }
        }

        # Public subnets hold the NAT gateway and internet-facing load balancers; nothing gets a public IP by default.
        resource "aws_subnet" "public" {
          for_each = var.availability_zones

          vpc_id            = aws_vpc.main.id
          availability_zone = each.key
          cidr_block        = each.value.public_subnet

          tags = {
            Name                     = "${var.name}-public-${each.key}"
            "kubernetes.io/role/elb" = "1"
            (local.cluster_tag)      = "shared"
          }
        }

        # Private subnets hold the nodes and internal load balancers.
        resource "aws_subnet" "private" {
          for_each = var.availability_zones

          vpc_id            = aws_vpc.main.id
          availability_zone = each.key
          cidr_block        = each.value.private_subnet

          tags = {
            Name                              = "${var.name}-private-${each.key}"
            "kubernetes.io/role/internal-elb" = "1"
            (local.cluster_tag)               = "shared"
          }
        }

        resource "aws_internet_gateway" "main" {
          vpc_id = aws_vpc.main.id

          tags = {
            Name = "${var.name}-igw"
          }
        }

        resource "aws_eip" "nat" {
          domain = "vpc"

          tags = {
            Name = "${var.name}-nat"
          }

          depends_on = [aws_internet_gateway.main]
        }

        resource "aws_nat_gateway" "main" {
          allocation_id = aws_eip.nat.id
          subnet_id     = aws_subnet.public[local.nat_zone].id

          tags = {
            Name = "${var.name}-nat"
          }

          depends_on = [aws_internet_gateway.main]
        }

        resource "aws_route_table" "public" {
          vpc_id = aws_vpc.main.id

          tags = {
            Name = "${var.name}-public"
          }
        }

        resource "aws_route" "public_internet" {
          route_table_id         = aws_route_table.public.id
          destination_cidr_block = "0.0.0.0/0"
          gateway_id             = aws_internet_gateway.main.id
        }

        resource "aws_route_table_association" "public" {
          for_each = aws_subnet.public

          subnet_id      = each.value.id
          route_table_id = aws_route_table.public.id
        }

        resource "aws_route_table" "private" {
          vpc_id = aws_vpc.main.id

          tags = {
            Name = "${var.name}-private"
          }
        }

        resource "aws_route" "private_nat" {
          route_table_id         = aws_route_table.private.id
          destination_cidr_block = "0.0.0.0/0"
          nat_gateway_id         = aws_nat_gateway.main.id
        }

        resource "aws_route_table_association" "private" {
          for_each = aws_subnet.private

          subnet_id      = each.value.id
          route_table_id = aws_route_table.private.id
        }

        # Tags are immutable: Kindling's tags are content hashes, so a tag never has to move, and an immutable tag
        # cannot be overwritten by a compromised or mistaken push. Images are scanned on push. Destroy deletes a
        # repository that still holds images only with 'infra destroy --purge-images' (var.ecr_force_delete).
        resource "aws_ecr_repository" "spark" {
          name                 = "${var.ecr_prefix}spark"
          image_tag_mutability = "IMMUTABLE"
          force_delete         = var.ecr_force_delete

          image_scanning_configuration {
            scan_on_push = true
          }
        }

        resource "aws_ecr_repository" "jupyter" {
          name                 = "${var.ecr_prefix}jupyter"
          image_tag_mutability = "IMMUTABLE"
          force_delete         = var.ecr_force_delete

          image_scanning_configuration {
            scan_on_push = true
          }
        }

        resource "aws_iam_role" "cluster" {
          name = "${var.cluster_name}-eks-cluster"
          assume_role_policy = jsonencode({
            Version = "2012-10-17"
            Statement = [{
              Effect    = "Allow"
              Principal = { Service = "eks.amazonaws.com" }
              Action    = "sts:AssumeRole"
            }]
          })
        }

        resource "aws_iam_role_policy_attachment" "cluster" {
          for_each = toset(["AmazonEKSClusterPolicy"])

          role       = aws_iam_role.cluster.name
          policy_arn = "${local.managed_policy_prefix}/${each.key}"
        }

        resource "aws_iam_role" "node" {
          name = "${var.cluster_name}-eks-node"
          assume_role_policy = jsonencode({
            Version = "2012-10-17"
            Statement = [{
              Effect    = "Allow"
              Principal = { Service = "ec2.amazonaws.com" }
              Action    = "sts:AssumeRole"
            }]
          })
        }

        resource "aws_iam_role_policy_attachment" "node" {
          for_each = toset(["AmazonEC2ContainerRegistryReadOnly", "AmazonEKSWorkerNodePolicy", "AmazonEKS_CNI_Policy"])

          role       = aws_iam_role.node.name
          policy_arn = "${local.managed_policy_prefix}/${each.key}"
        }

        resource "aws_eks_cluster" "main" {
          name     = var.cluster_name
          version  = var.kubernetes_version
          role_arn = aws_iam_role.cluster.arn

          # CIS EKS 5.4.1/5.4.2: the public endpoint, when there is one, admits only the listed CIDRs (by default the
          # address of the machine that ran 'kindling infra apply'); nodes always use the private endpoint.
          vpc_config {
            subnet_ids              = concat([for s in aws_subnet.private : s.id], [for s in aws_subnet.public : s.id])
            endpoint_private_access = true
            endpoint_public_access  = !var.private_api
            public_access_cidrs     = var.private_api ? null : var.api_access_cidrs
          }

          # CIS EKS 2.1.1: audit and authenticator logs of the control plane, into the log group declared in security.tf.
          enabled_cluster_log_types = ["api", "audit", "authenticator"]

          # CIS EKS 5.3.1: Secrets are envelope-encrypted with a customer managed KMS key.
          encryption_config {
            resources = ["secrets"]
            provider {
              key_arn = aws_kms_key.secrets.arn
            }
          }

          # EKS needs the policy attached while it creates the cluster, and while it deletes it. The log group
          # exists first, so EKS does not create it without a retention period.
          depends_on = [aws_iam_role_policy_attachment.cluster, aws_iam_role_policy.cluster_kms, aws_cloudwatch_log_group.cluster]
        }

        resource "aws_eks_node_group" "main" {
          cluster_name    = aws_eks_cluster.main.name
          node_group_name = "${var.cluster_name}-nodes"
          node_role_arn   = aws_iam_role.node.arn
          subnet_ids      = [for s in aws_subnet.private : s.id]
          instance_types  = [var.node_instance_type]
          # Drivers and the notebook run here, so this group is never spot capacity.
          capacity_type = "ON_DEMAND"

          launch_template {
            id      = aws_launch_template.nodes.id
            version = aws_launch_template.nodes.latest_version
          }

          scaling_config {
            min_size     = var.node_min_size
            desired_size = var.node_desired_size
            max_size     = var.node_max_size
          }

          lifecycle {
            # Kindling never configures SSH access to nodes. Ignoring the block keeps an API that reports a
            # default key pair (moto does) from forcing the node group to be replaced on every plan. The desired
            # size belongs to the Cluster Autoscaler once the group exists; applying it again would undo its work.
            ignore_changes = [remote_access, scaling_config[0].desired_size]
          }

          # Nodes must reach ECR and the EKS API through the NAT gateway before they can join, and start with the
          # VPC CNI configured for network policy.
          depends_on = [
            aws_iam_role_policy_attachment.node,
            aws_route.private_nat,
            aws_route_table_association.private,
            aws_eks_addon.vpc_cni,
          ]
        }

        # IRSA: service accounts assume IAM roles through the cluster's OIDC issuer. AWS trusts the issuer's CA
        # itself, so no thumbprint is pinned.
        resource "aws_iam_openid_connect_provider" "eks" {
          url            = aws_eks_cluster.main.identity[0].oidc[0].issuer
          client_id_list = ["sts.amazonaws.com"]
        }

        locals {
          # IAM condition keys name the issuer without its scheme: "<host>/id/<id>:sub".
          oidc_issuer_host = replace(aws_eks_cluster.main.identity[0].oidc[0].issuer, "https://", "")
        }

        # The identity of the notebook, cluster-mode drivers and executors: one ServiceAccount, annotated with
        # this role, in one namespace. The trust is limited to exactly that account, and only for tokens minted
        # for STS, so no other pod in the cluster can assume it.
        resource "aws_iam_role" "spark" {
          name = "${var.cluster_name}-spark"
          {{IrsaTrustPolicy.Attribute("system:serviceaccount:${var.namespace}:${var.spark_service_account}")}}
        }

        # Read and write access to the configured buckets only; without buckets the role grants nothing. S3A
        # writes large files as multipart uploads, so it may also list and abort the ones it leaves behind.
        resource "aws_iam_role_policy" "spark_s3" {
          count = length(var.s3_buckets) > 0 ? 1 : 0

          name = "s3-buckets"
          role = aws_iam_role.spark.id
          policy = jsonencode({
            Version = "2012-10-17"
            Statement = [
              {
                Effect   = "Allow"
                Action   = ["s3:ListBucket", "s3:ListBucketMultipartUploads"]
                Resource = [for b in var.s3_buckets : "arn:${data.aws_partition.current.partition}:s3:::${b}"]
              },
              {
                Effect   = "Allow"
                Action   = ["s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:AbortMultipartUpload"]
                Resource = [for b in var.s3_buckets : "arn:${data.aws_partition.current.partition}:s3:::${b}/*"]
              },
            ]
          })
        }

        """;
}
