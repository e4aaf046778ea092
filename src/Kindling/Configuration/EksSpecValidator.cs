using System.Text.RegularExpressions;

namespace Kindling.Configuration;

/// <summary>
/// Checks of the EKS settings beyond the network layout: the Kubernetes version, API access, ECR naming and the
/// executor node group. Part of <see cref="SpecValidator"/>; kept apart because it grows with the EKS module.
/// </summary>
internal static partial class EksSpecValidator
{
    /// <summary>The capacity types of an EKS managed node group (CreateNodegroup capacityType).</summary>
    public static readonly IReadOnlyList<string> CapacityTypes = ["SPOT", "ON_DEMAND"];

    public static void Validate(AwsSpec aws, Action<string, string?> check)
    {
        check("aws.kubernetesVersion", EksVersions.Problem(aws.KubernetesVersion));

        if (aws.ApiAccessCidrs is { } cidrs)
        {
            if (aws.PrivateApi)
                check("aws.apiAccessCidrs", "has no effect with aws.privateApi: true (there is no public endpoint); remove one of the two");
            else if (cidrs.Count == 0)
                check("aws.apiAccessCidrs", "lists no CIDR, which would leave the public endpoint unusable; list your addresses (e.g. 203.0.113.7/32), remove the key to use this machine's address, or set aws.privateApi: true");
            var seen = new HashSet<string>(StringComparer.Ordinal);
            for (var i = 0; i < cidrs.Count; i++)
            {
                var problem = Formats.Ipv4Cidr(cidrs[i], out _);
                if (problem is null && !seen.Add(cidrs[i])) problem = $"'{cidrs[i]}' is listed twice; keep one";
                // Formats speaks of VPC blocks; here the user gives their own address ranges.
                if (problem is not null && problem.EndsWith("use e.g. 10.0.0.0/16", StringComparison.Ordinal))
                    problem = $"'{cidrs[i]}' is not an IPv4 CIDR block; use e.g. 203.0.113.7/32 for one address";
                check($"aws.apiAccessCidrs[{i}]", problem);
            }
        }

        // ECR repository names: lowercase components separated by '/', each [a-z0-9] runs joined by '.', '_' or '-'
        // (ECR CreateRepository repositoryName pattern); "/spark" and "/jupyter" are appended.
        if (aws.EcrPrefix is { } prefix)
            check("aws.ecrPrefix", prefix.Length is 0 or > 200 || !EcrPrefixRegex().IsMatch(prefix)
                ? $"'{prefix}' is not an ECR repository prefix; use lowercase letters, digits, '.', '_', '-' and '/' between parts, e.g. team-a"
                : null);

        if (aws.ExecutorNodes is { } executors)
        {
            const string path = "aws.executorNodes";
            if (executors.InstanceTypes.Count == 0) check($"{path}.instanceTypes", "lists no instance type; give at least one, e.g. m5.xlarge");
            var types = new HashSet<string>(StringComparer.Ordinal);
            for (var i = 0; i < executors.InstanceTypes.Count; i++)
            {
                var type = executors.InstanceTypes[i];
                check($"{path}.instanceTypes[{i}]",
                    !InstanceTypeRegex().IsMatch(type) ? $"'{type}' is not an EC2 instance type; use e.g. m5.xlarge"
                    : !types.Add(type) ? $"'{type}' is listed twice; keep one"
                    : null);
            }
            check($"{path}.capacityType", CapacityTypes.Contains(executors.CapacityType)
                ? null
                : $"'{executors.CapacityType}' is not a capacity type; use SPOT or ON_DEMAND");
            check($"{path}.min", executors.Min >= 0 ? null : "must be 0 or more");
            check($"{path}.max", executors.Max < 1 ? "must be at least 1" : executors.Max < executors.Min ? $"must be at least min ({executors.Min})" : null);
        }
    }

    [GeneratedRegex("^[a-z0-9]+(?:[._-][a-z0-9]+)*(?:/[a-z0-9]+(?:[._-][a-z0-9]+)*)*$")]
    private static partial Regex EcrPrefixRegex();

    [GeneratedRegex(@"^[a-z][a-z0-9-]*\.[a-z0-9]+$")]
    private static partial Regex InstanceTypeRegex();
}
