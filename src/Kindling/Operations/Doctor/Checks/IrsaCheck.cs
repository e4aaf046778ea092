using k8s;
using System.Text.Json;
using k8s.Models;

namespace Kindling.Operations.Doctor.Checks;

/// <summary>
/// On Kindling's EKS: Spark pods get AWS credentials through IRSA. The Spark ServiceAccount carries the
/// <c>eks.amazonaws.com/role-arn</c> annotation, and that role's trust policy lets the cluster's OIDC provider
/// assume it for exactly this ServiceAccount: principal <c>Federated</c> = the provider ARN, action
/// <c>sts:AssumeRoleWithWebIdentity</c>, condition <c>&lt;issuer&gt;:sub = system:serviceaccount:&lt;ns&gt;:&lt;sa&gt;</c>
/// (EKS user guide, "Assign IAM roles to Kubernetes service accounts").
/// </summary>
internal sealed class IrsaCheck : IDoctorCheck
{
    private const string RoleArnAnnotation = "eks.amazonaws.com/role-arn";

    public string Name => "irsa";

    public bool Preflight => false;

    public async Task<IReadOnlyList<CheckResult>> RunAsync(DoctorContext context, CancellationToken cancellationToken)
    {
        if (!context.OnKindlingEks) return [CheckResult.Ok(Name, "skipped: the current context is not Kindling's EKS cluster")];
        var ns = context.Namespace;
        var account = context.Names.ServiceAccount;
        var live = await context.Connection.TryCallAsync($"read ServiceAccount {ns}/{account}",
            (k, ct) => k.CoreV1.ReadNamespacedServiceAccountAsync(account, ns, cancellationToken: ct), cancellationToken).ConfigureAwait(false);
        var source = live ?? context.Rendered<V1ServiceAccount>();
        var roleArn = source?.Metadata.Annotations is { } annotations && annotations.TryGetValue(RoleArnAnnotation, out var arn) ? arn : null;
        if (roleArn is null)
            return [CheckResult.Fail(Name, live is null
                    ? $"the ServiceAccount {account} would carry no {RoleArnAnnotation} annotation: Terraform reported no Spark role"
                    : $"the ServiceAccount {ns}/{account} has no {RoleArnAnnotation} annotation: Spark pods get no AWS credentials (S3 fails)",
                "kindling infra apply (creates the role), then kindling up (annotates the ServiceAccount)")];
        var where = live is null ? "(rendered; not applied yet)" : $"on {ns}/{account}";

        var aws = new AwsCli(context);
        var cluster = context.Inputs.State.Terraform!.ClusterName;
        var (clusterJson, clusterError) = await aws.RunAsync(["eks", "describe-cluster", "--name", cluster], cancellationToken).ConfigureAwait(false);
        var (roleJson, roleError) = await aws.RunAsync(["iam", "get-role", "--role-name", roleArn[(roleArn.LastIndexOf('/') + 1)..]], cancellationToken).ConfigureAwait(false);
        using (clusterJson)
        using (roleJson)
        {
            if (clusterJson is null || roleJson is null)
            {
                var error = clusterJson is null ? clusterError : roleError;
                return [roleJson is null && roleError.Contains("NoSuchEntity", StringComparison.Ordinal)
                    ? CheckResult.Fail(Name, $"the role {roleArn} {where} does not exist in IAM", "kindling infra apply, then kindling up")
                    : CheckResult.Warn(Name, $"role annotation {roleArn} {where}; its trust policy could not be read: {error}",
                        "check your AWS credentials (aws sts get-caller-identity) and run kindling doctor again")];
            }
            var issuer = clusterJson.RootElement.GetProperty("cluster").GetProperty("identity").GetProperty("oidc").GetProperty("issuer").GetString()!;
            var provider = issuer.Replace("https://", "", StringComparison.Ordinal);
            var subject = $"system:serviceaccount:{ns}:{account}";
            var document = roleJson.RootElement.GetProperty("Role").GetProperty("AssumeRolePolicyDocument");
            // The CLI prints the URL-decoded policy as JSON; some versions leave it a URL-encoded string.
            using var parsed = document.ValueKind == JsonValueKind.String ? JsonDocument.Parse(Uri.UnescapeDataString(document.GetString()!)) : null;
            var policy = parsed?.RootElement ?? document;
            var trusted = Statements(policy).Any(s => Trusts(s, provider, subject));
            return trusted
                ? [CheckResult.Ok(Name, $"{roleArn} {where}; its trust policy admits {subject} through the cluster's OIDC provider {provider}")]
                : [CheckResult.Fail(Name, $"{roleArn} {where}, but its trust policy does not let {subject} assume it through {provider}: Spark pods get no AWS credentials",
                    "kindling infra apply (rewrites the trust policy for this cluster and namespace); a changed namespace needs it too")];
        }
    }

    private static IEnumerable<JsonElement> Statements(JsonElement policy) =>
        policy.TryGetProperty("Statement", out var s) ? s.ValueKind == JsonValueKind.Array ? s.EnumerateArray().ToList() : [s] : [];

    private static bool Trusts(JsonElement statement, string provider, string subject)
    {
        if (!statement.TryGetProperty("Effect", out var effect) || effect.GetString() != "Allow") return false;
        if (!Values(statement, "Action").Contains("sts:AssumeRoleWithWebIdentity")) return false;
        if (!statement.TryGetProperty("Principal", out var principal) ||
            !Values(principal, "Federated").Any(f => f.EndsWith(":oidc-provider/" + provider, StringComparison.Ordinal))) return false;
        if (!statement.TryGetProperty("Condition", out var condition)) return false;
        foreach (var op in new[] { "StringEquals", "StringLike" })
        {
            if (condition.TryGetProperty(op, out var block) && Values(block, provider + ":sub").Any(v => v == subject || (op == "StringLike" && Like(subject, v))))
                return true;
        }
        return false;
    }

    private static List<string> Values(JsonElement obj, string property) =>
        !obj.TryGetProperty(property, out var v) ? []
        : v.ValueKind == JsonValueKind.Array ? v.EnumerateArray().Select(e => e.GetString() ?? "").ToList()
        : [v.GetString() ?? ""];

    // IAM StringLike: * matches any run of characters, ? one character.
    private static bool Like(string text, string pattern) =>
        System.Text.RegularExpressions.Regex.IsMatch(text, "^" + System.Text.RegularExpressions.Regex.Escape(pattern).Replace("\\*", ".*").Replace("\\?", ".") + "$");
}
