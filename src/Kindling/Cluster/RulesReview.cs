using k8s;
using k8s.Models;

namespace Kindling.Cluster;

/// <summary>
/// What a SelfSubjectRulesReview says the identity may do in one namespace. One request answers for every
/// namespaced permission at once, but only when the server says the list is complete: an authorizer that cannot
/// enumerate its rules (a webhook, such as EKS access entries) makes it incomplete, and then only the
/// per-permission SelfSubjectAccessReview can tell (Kubernetes API reference, SelfSubjectRulesReview:
/// status.incomplete). Cluster-scoped permissions are never judged from it: a ClusterRole bound by a RoleBinding
/// shows up in a namespace's rules without granting anything cluster-wide.
/// </summary>
internal sealed class RulesReview(bool complete, IReadOnlyList<V1ResourceRule> rules)
{
    /// <summary>The server enumerated every rule that applies (no authorizer left out).</summary>
    public bool Complete => complete;

    /// <summary>Sends the review for <paramref name="namespace"/>.</summary>
    public static async Task<RulesReview> ReadAsync(KubeConnection connection, string @namespace, CancellationToken cancellationToken)
    {
        var review = new V1SelfSubjectRulesReview
        {
            ApiVersion = "authorization.k8s.io/v1",
            Kind = "SelfSubjectRulesReview",
            Spec = new V1SelfSubjectRulesReviewSpec { NamespaceProperty = @namespace },
        };
        var answer = await connection.CallAsync($"list the rules of the current identity in {@namespace}",
            (k, ct) => k.AuthorizationV1.CreateSelfSubjectRulesReviewAsync(review, cancellationToken: ct), cancellationToken).ConfigureAwait(false);
        return new RulesReview(answer.Status?.Incomplete == false, answer.Status?.ResourceRules?.ToList() ?? []);
    }

    /// <summary>
    /// Whether some rule grants <paramref name="permission"/> (a namespaced one, without a resource name), matched as
    /// RBAC matches a request (kubernetes pkg/apis/rbac/v1 evaluation_helpers.go: VerbMatches, APIGroupMatches,
    /// ResourceMatches with <c>*</c> and <c>*/subresource</c>); a rule limited to resourceNames grants no name-less request.
    /// </summary>
    public bool Allows(Permission permission)
    {
        var parts = permission.Resource.Split('/', 2);
        return rules.Any(r =>
            (r.ResourceNames is null || r.ResourceNames.Count == 0)
            && Has(r.Verbs, permission.Verb)
            && Has(r.ApiGroups, permission.Group)
            && r.Resources is { } resources
            && resources.Any(res => res == "*" || res == permission.Resource || (parts.Length == 2 && res == "*/" + parts[1])));
    }

    private static bool Has(IList<string>? values, string wanted) => values is not null && values.Any(v => v == "*" || v == wanted);
}
