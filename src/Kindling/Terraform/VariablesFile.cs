using System.Globalization;
using System.Text;
using Kindling.Configuration;
using Kindling.Resources;

namespace Kindling.Terraform;

/// <summary><c>variables.tf</c>: every input of the module, defaulting to the values in kindling.yaml.</summary>
internal static class VariablesFile
{
    public static string Render(EnvironmentSpec spec)
    {
        var aws = spec.Aws;
        var sb = new StringBuilder();
        String(sb, "name", "Environment name (kindling.yaml: name); tags every resource.", spec.Name);
        String(sb, "region", "AWS region (aws.region).", aws.Region);
        String(sb, "cluster_name", "EKS cluster name (aws.clusterName).", aws.ClusterName);
        String(sb, "kubernetes_version", "EKS Kubernetes version (aws.kubernetesVersion).", aws.KubernetesVersion);
        String(sb, "vpc_cidr", "VPC CIDR block (aws.vpcCidr).", aws.VpcCidr);
        Zones(sb, aws.AvailabilityZones);
        String(sb, "node_instance_type", "Instance type of the managed node group (aws.nodeInstanceType).", aws.NodeInstanceType);
        Number(sb, "node_min_size", "Minimum node count (aws.nodeGroup.min).", aws.NodeGroup.Min);
        Number(sb, "node_desired_size", "Desired node count (aws.nodeGroup.desired).", aws.NodeGroup.Desired);
        Number(sb, "node_max_size", "Maximum node count (aws.nodeGroup.max).", aws.NodeGroup.Max);
        String(sb, "namespace", "Kubernetes namespace of the environment (namespace); the Spark role trusts its ServiceAccount only.", spec.Namespace);
        String(sb, "spark_service_account", "ServiceAccount of Spark pods, which may assume the Spark role.", new ResourceNames(spec.Name).ServiceAccount);
        Strings(sb, "s3_buckets", "Buckets the Spark role may read and write (aws.s3Buckets and the bucket of spark.fileUploadPath).", S3Buckets.Granted(spec));
        EksVariables.Render(sb, spec);
        return sb.ToString();
    }

    internal static void Bool(StringBuilder sb, string name, string description, bool value) =>
        sb.Append(
            $$"""
            variable "{{name}}" {
              description = {{Hcl.Quote(description)}}
              type        = bool
              default     = {{(value ? "true" : "false")}}
            }


            """);

    /// <summary>A list variable; without values it has no default, so terraform must be given one.</summary>
    internal static void OptionalStrings(StringBuilder sb, string name, string description, IReadOnlyList<string>? values)
    {
        sb.Append($"variable \"{name}\" {{\n  description = {Hcl.Quote(description)}\n  type        = list(string)\n");
        if (values is not null) sb.Append($"  default     = [{string.Join(", ", values.Select(Hcl.Quote))}]\n");
        sb.Append("}\n\n");
    }

    internal static void String(StringBuilder sb, string name, string description, string value) =>
        sb.Append(
            $$"""
            variable "{{name}}" {
              description = {{Hcl.Quote(description)}}
              type        = string
              default     = {{Hcl.Quote(value)}}
            }


            """);

    internal static void Strings(StringBuilder sb, string name, string description, IReadOnlyList<string> values) =>
        sb.Append(
            $$"""
            variable "{{name}}" {
              description = {{Hcl.Quote(description)}}
              type        = list(string)
              default     = [{{string.Join(", ", values.Select(Hcl.Quote))}}]
            }

            """);

    internal static void Number(StringBuilder sb, string name, string description, int value)
    {
        sb.Append(
            $$"""
            variable "{{name}}" {
              description = {{Hcl.Quote(description)}}
              type        = number
              default     = {{value.ToString(CultureInfo.InvariantCulture)}}
            }


            """);
    }

    // A map keyed by AZ name rather than a list: resources use for_each over it, so their addresses
    // (aws_subnet.private["eu-west-1a"]) stay stable if a zone is added or reordered.
    private static void Zones(StringBuilder sb, IReadOnlyList<AvailabilityZoneSpec> zones)
    {
        sb.Append(
            """
            variable "availability_zones" {
              description = "Availability zones with their public and private subnet CIDRs (aws.availabilityZones)."
              type = map(object({
                public_subnet  = string
                private_subnet = string
              }))
              default = {

            """);
        foreach (var zone in zones)
        {
            sb.Append(
                $$"""
                    {{Hcl.Quote(zone.Name)}} = {
                      public_subnet  = {{Hcl.Quote(zone.PublicSubnet)}}
                      private_subnet = {{Hcl.Quote(zone.PrivateSubnet)}}
                    }

                """);
        }
        sb.Append(
            """
              }
            }


            """);
    }
}
