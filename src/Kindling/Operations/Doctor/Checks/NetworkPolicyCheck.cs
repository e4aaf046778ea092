using k8s;
using System.Text.Json;

namespace Kindling.Operations.Doctor.Checks;

/// <summary>
/// On Kindling's EKS: the NetworkPolicy Kindling applies is enforced. The VPC CNI enforces policies only when the
/// add-on's configuration has <c>enableNetworkPolicy: "true"</c> (EKS user guide, "Restrict pod network traffic with
/// Kubernetes network policies"), which makes the <c>aws-node</c> DaemonSet's node agent container
/// (<c>aws-eks-nodeagent</c>; <c>aws-network-policy-agent</c> in the upstream manifest) run with
/// <c>--enable-network-policy=true</c>. Both are read: the first is what is asked for, the second what runs.
/// </summary>
internal sealed class NetworkPolicyCheck : IDoctorCheck
{
    private static readonly string[] AgentContainers = ["aws-eks-nodeagent", "aws-network-policy-agent"];

    public string Name => "network-policy";

    public bool Preflight => false;

    public async Task<IReadOnlyList<CheckResult>> RunAsync(DoctorContext context, CancellationToken cancellationToken)
    {
        if (!context.OnKindlingEks) return [CheckResult.Ok(Name, "skipped: the current context is not Kindling's EKS cluster")];
        var cluster = context.Inputs.State.Terraform!.ClusterName;
        const string fix = "kindling infra apply (it configures the vpc-cni add-on with enableNetworkPolicy: \"true\")";

        var (json, error) = await new AwsCli(context).RunAsync(["eks", "describe-addon", "--cluster-name", cluster, "--addon-name", "vpc-cni"], cancellationToken).ConfigureAwait(false);
        string? configured = null;
        using (json)
        {
            if (json is not null && json.RootElement.GetProperty("addon").TryGetProperty("configurationValues", out var values) && values.GetString() is { Length: > 0 } text)
            {
                try
                {
                    using var config = JsonDocument.Parse(text);
                    if (config.RootElement.TryGetProperty("enableNetworkPolicy", out var flag)) configured = flag.ToString();
                }
                catch (JsonException)
                {
                    configured = "unreadable";
                }
            }
        }

        var daemonSet = await context.Connection.TryCallAsync("read DaemonSet kube-system/aws-node",
            (k, ct) => k.AppsV1.ReadNamespacedDaemonSetAsync("aws-node", "kube-system", cancellationToken: ct), cancellationToken).ConfigureAwait(false);
        var agent = daemonSet?.Spec.Template.Spec.Containers.FirstOrDefault(c => AgentContainers.Contains(c.Name));
        var agentFlag = agent?.Args?.Select(a => a.Trim()).FirstOrDefault(a => a.StartsWith("--enable-network-policy=", StringComparison.Ordinal))?.Split('=')[1];

        if (agentFlag == "true")
            return [CheckResult.Ok(Name, $"the aws-node network policy agent runs with --enable-network-policy=true" + (configured is null ? "" : $" (vpc-cni enableNetworkPolicy: {configured})"))];
        if (daemonSet is null)
            return [CheckResult.Fail(Name, "there is no aws-node DaemonSet in kube-system: the VPC CNI is not running, so nothing enforces the NetworkPolicy", fix)];
        var asked = json is null ? $"the vpc-cni add-on could not be read ({error})" : $"vpc-cni enableNetworkPolicy is {configured ?? "unset"}";
        var runs = agent is null ? "aws-node has no network policy agent container" : $"its agent runs with --enable-network-policy={agentFlag ?? "unset"}";
        return [CheckResult.Fail(Name, $"NetworkPolicies are not enforced: {asked}, and {runs}; executors and the notebook are reachable from any pod", fix)];
    }
}
