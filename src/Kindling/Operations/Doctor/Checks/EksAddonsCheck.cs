using k8s;
using System.Text.Json;

namespace Kindling.Operations.Doctor.Checks;

/// <summary>
/// On Kindling's EKS: the add-ons the environment depends on are ACTIVE (<c>aws eks describe-addon</c>,
/// <c>addon.status</c>): the EBS CSI driver provisions the notebooks' volume, the VPC CNI enforces the NetworkPolicy.
/// </summary>
internal sealed class EksAddonsCheck : IDoctorCheck
{
    private static readonly string[] Addons = ["aws-ebs-csi-driver", "vpc-cni"];

    public string Name => "eks-addons";

    public bool Preflight => false;

    public async Task<IReadOnlyList<CheckResult>> RunAsync(DoctorContext context, CancellationToken cancellationToken)
    {
        if (!context.OnKindlingEks) return [CheckResult.Ok(Name, "skipped: the current context is not Kindling's EKS cluster")];
        var cluster = context.Inputs.State.Terraform!.ClusterName;
        var aws = new AwsCli(context);
        var results = new List<CheckResult>();
        foreach (var addon in Addons)
        {
            var check = $"{Name}/{addon}";
            var (json, error) = await aws.RunAsync(["eks", "describe-addon", "--cluster-name", cluster, "--addon-name", addon], cancellationToken).ConfigureAwait(false);
            using (json)
            {
                if (json is null)
                {
                    results.Add(error.Contains("ResourceNotFoundException", StringComparison.Ordinal)
                        ? CheckResult.Fail(check, $"EKS cluster {cluster} has no {addon} add-on", "kindling infra apply (it manages the add-on)")
                        : CheckResult.Warn(check, $"could not ask EKS about {addon}: {error}", "check your AWS credentials (aws sts get-caller-identity) and run kindling doctor again"));
                    continue;
                }
                var status = json.RootElement.GetProperty("addon").GetProperty("status").GetString();
                var version = json.RootElement.GetProperty("addon").TryGetProperty("addonVersion", out var v) ? v.GetString() : null;
                results.Add(status == "ACTIVE"
                    ? CheckResult.Ok(check, $"{addon} {version} is ACTIVE on {cluster}")
                    : CheckResult.Fail(check, $"{addon} {version} is {status} on {cluster}{Issues(json.RootElement)}",
                        $"aws eks describe-addon --cluster-name {cluster} --addon-name {addon} --region {context.Spec.Aws.Region}; then kindling infra apply"));
            }
        }
        return results;
    }

    private static string Issues(JsonElement root) =>
        root.GetProperty("addon").TryGetProperty("health", out var h) && h.TryGetProperty("issues", out var issues) && issues.GetArrayLength() > 0
            ? ": " + string.Join("; ", issues.EnumerateArray().Select(i => $"{i.GetProperty("code").GetString()} {i.GetProperty("message").GetString()}"))
            : "";
}
