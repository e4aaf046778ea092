using System.Text;
using Kindling.Configuration;

namespace Kindling.Terraform;

/// <summary>The variables of the EKS hardening, add-ons and executor node group (<c>variables.tf</c>).</summary>
internal static class EksVariables
{
    /// <summary>GiB of each node's encrypted root volume: room for the Spark and Jupyter images and shuffle files.</summary>
    public const int NodeDiskSize = 50;

    public static void Render(StringBuilder sb, EnvironmentSpec spec)
    {
        var aws = spec.Aws;
        VariablesFile.OptionalStrings(sb, "api_access_cidrs",
            "CIDRs that may reach the public EKS API (aws.apiAccessCidrs). Without a value in kindling.yaml, 'kindling infra apply' sets it to this machine's public address (/32); never 0.0.0.0/0 by default.",
            aws.PrivateApi ? aws.ApiAccessCidrs ?? [] : aws.ApiAccessCidrs);
        VariablesFile.Bool(sb, "private_api", "Turn the public API endpoint off (aws.privateApi).", aws.PrivateApi);
        VariablesFile.String(sb, "ecr_prefix", "Prefix of the ECR repository names, with its trailing slash (aws.ecrPrefix).",
            aws.EcrPrefix is { } prefix ? prefix + "/" : "");
        VariablesFile.Bool(sb, "ecr_force_delete",
            "Let destroy delete ECR repositories that still hold images ('kindling infra destroy --purge-images').", false);
        VariablesFile.Bool(sb, "eks_addons",
            "Create the EKS add-ons (vpc-cni with network policy, aws-ebs-csi-driver) and the executor group's Auto Scaling group tags. False when aws.endpoint points at an emulator, which has no add-on API.",
            aws.Endpoint is null);
        VariablesFile.Number(sb, "node_disk_size", "GiB of each node's encrypted gp3 root volume.", NodeDiskSize);

        var executors = aws.ExecutorNodes;
        VariablesFile.Bool(sb, "executor_nodes", "Create the executor node group (aws.executorNodes).", executors is not null);
        VariablesFile.Strings(sb, "executor_instance_types", "Instance types of the executor node group (aws.executorNodes.instanceTypes).",
            executors?.InstanceTypes ?? new ExecutorNodesSpec().InstanceTypes);
        sb.Append('\n');
        VariablesFile.String(sb, "executor_capacity_type", "SPOT or ON_DEMAND (aws.executorNodes.capacityType).",
            executors?.CapacityType ?? new ExecutorNodesSpec().CapacityType);
        VariablesFile.Number(sb, "executor_min_size", "Minimum executor node count (aws.executorNodes.min).", executors?.Min ?? 0);
        VariablesFile.Number(sb, "executor_max_size", "Maximum executor node count (aws.executorNodes.max).", executors?.Max ?? new ExecutorNodesSpec().Max);
    }
}
