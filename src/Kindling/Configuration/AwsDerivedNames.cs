namespace Kindling.Configuration;

/// <summary>One AWS name the Terraform module derives from <c>aws.clusterName</c>, and AWS's limit for it.</summary>
/// <param name="ResourceType">The Terraform resource type.</param>
/// <param name="Attribute">The attribute that holds the name.</param>
/// <param name="Suffix">What follows the cluster name.</param>
/// <param name="MaxLength">AWS's limit on the whole name.</param>
public sealed record AwsDerivedName(string ResourceType, string Attribute, string Suffix, int MaxLength)
{
    /// <summary>What precedes the cluster name (<c>alias/</c>, <c>/aws/eks/</c>, a tag key's domain).</summary>
    public string Prefix { get; init; } = "";

    /// <summary>How many characters the cluster name itself may have in this name.</summary>
    public int Room => MaxLength - Prefix.Length - Suffix.Length;
}

/// <summary>
/// The names Kindling's Terraform module builds from <c>aws.clusterName</c>, so a name too long for any of them is
/// a located error in kindling.yaml rather than a Terraform failure in main.tf. A test renders the module and
/// checks that every name built from the cluster name is listed here.
/// </summary>
public static class AwsDerivedNames
{
    /// <summary>
    /// Limits from the AWS API references: EKS CreateCluster name 1-100; EKS CreateNodegroup nodegroupName at most
    /// 63 (the Terraform aws_eks_node_group docs); IAM CreateRole RoleName 1-64.
    /// </summary>
    public static IReadOnlyList<AwsDerivedName> All { get; } =
    [
        new("aws_eks_cluster", "name", "", 100),
        new("aws_iam_role", "name", "-eks-cluster", 64),
        new("aws_iam_role", "name", "-eks-node", 64),
        new("aws_eks_node_group", "node_group_name", "-nodes", 63),
        new("aws_iam_role", "name", "-spark", 64),
        new("aws_iam_role", "name", "-spark-history", 64),
        new("aws_iam_role", "name", "-ebs-csi", 64),
        new("aws_iam_role", "name", "-cluster-autoscaler", 64),
        new("aws_eks_node_group", "node_group_name", "-executors", 63),
        // KMS CreateAlias AliasName 1-256; CloudWatch Logs CreateLogGroup logGroupName 1-512 (EKS names it
        // /aws/eks/<cluster>/cluster); EC2 LaunchTemplateName 3-128, of which Terraform's name_prefix leaves 102
        // (it appends a 26-character unique id); a tag key 1-128 (EC2 and Auto Scaling tags, IAM condition keys).
        new("aws_kms_alias", "name", "-secrets", 256) { Prefix = "alias/" },
        new("aws_cloudwatch_log_group", "name", "/cluster", 512) { Prefix = "/aws/eks/" },
        new("aws_launch_template", "name_prefix", "-nodes-", 128 - 26),
        new("tag key", "tags", "", 128) { Prefix = "kubernetes.io/cluster/" },
        new("tag key", "condition", "", 128) { Prefix = "k8s.io/cluster-autoscaler/" },
    ];

    /// <summary>The longest cluster name every derived name accepts.</summary>
    public static int MaxClusterNameLength => All.Min(n => n.Room);

    /// <summary>What is wrong with the length of <paramref name="clusterName"/>, or null.</summary>
    public static string? LengthProblem(string clusterName)
    {
        ArgumentNullException.ThrowIfNull(clusterName);
        var tightest = All.OrderBy(n => n.Room).First();
        if (clusterName.Length <= tightest.Room) return null;
        return $"is {clusterName.Length} characters; at most {MaxClusterNameLength} fit, because the {tightest.ResourceType} " +
               $"'{tightest.Prefix}{clusterName}{tightest.Suffix}' built from it may be at most {tightest.MaxLength}";
    }
}
