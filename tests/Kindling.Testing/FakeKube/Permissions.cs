using System.Text.Json.Nodes;

namespace Kindling.Testing.FakeKube;

/// <summary>
/// Authorization for the fake's single identity. Everything is allowed unless denied. Denials apply both to
/// SelfSubjectAccessReview answers and to the requests themselves (403 Forbidden, like RBAC).
/// </summary>
public sealed class Permissions
{
    private readonly object _gate = new();
    private readonly List<(string Verb, string Resource, string? Namespace)> _denied = [];

    private static readonly string[] Verbs = ["get", "list", "watch", "create", "update", "patch", "delete", "deletecollection"];

    /// <summary>
    /// Models an authorizer that cannot list its rules (a webhook, such as EKS access entries): a
    /// SelfSubjectRulesReview then answers <c>incomplete: true</c> with no rules, and only access reviews tell.
    /// </summary>
    public bool RulesReviewIncomplete { get; set; }

    /// <summary>The user name in Forbidden messages.</summary>
    public string UserName { get; set; } = "kindling-test";

    /// <summary>
    /// Denies <paramref name="verb"/> (or "*") on <paramref name="resource"/> ("deployments", "pods/log", or "*")
    /// in <paramref name="ns"/> (null: every namespace and cluster scope).
    /// </summary>
    public void Deny(string verb, string resource, string? ns = null)
    {
        lock (_gate)
        {
            _denied.Add((verb, resource, ns));
        }
    }

    public void AllowAll()
    {
        lock (_gate)
        {
            _denied.Clear();
        }
    }

    public bool IsAllowed(string verb, string resource, string? subresource, string? ns)
    {
        var full = subresource is null ? resource : $"{resource}/{subresource}";
        lock (_gate)
        {
            return !_denied.Any(d => (d.Verb == "*" || d.Verb == verb)
                                     && (d.Resource == "*" || d.Resource == full)
                                     && (d.Namespace is null || d.Namespace == ns));
        }
    }

    internal ApiException Forbidden(RequestInfo info)
    {
        var type = info.Resource!;
        var what = info.Subresource is null ? type.Plural : $"{type.Plural}/{info.Subresource}";
        var subject = info.Name is null ? type.GroupResource : $"{type.GroupResource} \"{info.Name}\"";
        var scope = info.Namespace is null ? "at the cluster scope" : $"in the namespace \"{info.Namespace}\"";
        return new ApiException(403, "Forbidden",
            $"{subject} is forbidden: User \"{UserName}\" cannot {info.Verb} resource \"{what}\" in API group \"{type.Group}\" {scope}",
            ApiException.DetailsFor(type, info.Name));
    }

    /// <summary>Answers a SelfSubjectAccessReview (spec.resourceAttributes) with status.allowed.</summary>
    internal JsonObject Review(JsonObject review)
    {
        var attributes = review["spec"]?["resourceAttributes"];
        var verb = Json.Str(attributes, "verb") ?? "";
        var resource = Json.Str(attributes, "resource") ?? "";
        var allowed = IsAllowed(verb, resource, Json.Str(attributes, "subresource") is { Length: > 0 } s ? s : null, Json.Str(attributes, "namespace") is { Length: > 0 } n ? n : null);
        var result = Json.Clone(review);
        result["apiVersion"] = "authorization.k8s.io/v1";
        result["kind"] = "SelfSubjectAccessReview";
        result["metadata"] ??= new JsonObject();
        result["status"] = allowed
            ? new JsonObject { ["allowed"] = true, ["reason"] = "allowed by the fake's default policy" }
            : new JsonObject { ["allowed"] = false };
        return result;
    }

    /// <summary>
    /// Answers a SelfSubjectRulesReview (spec.namespace) with the RBAC-style allow rules that hold there: one
    /// wildcard rule when nothing is denied, else one rule per resource (and subresource) with the verbs still
    /// allowed, as an RBAC authorizer lists the rules of a user's bindings.
    /// </summary>
    internal JsonObject RulesReview(JsonObject review)
    {
        var ns = Json.Str(review["spec"], "namespace") is { Length: > 0 } n ? n : null;
        var rules = new JsonArray();
        bool anyDenied;
        lock (_gate)
        {
            anyDenied = _denied.Any(d => d.Namespace is null || d.Namespace == ns);
        }
        if (RulesReviewIncomplete)
        {
            // The webhook's grants cannot be listed: no rules, and the answer says so.
        }
        else if (!anyDenied)
        {
            rules.Add(Rule(["*"], ["*"], ["*"]));
        }
        else
        {
            foreach (var type in ResourceCatalog.Stored)
            {
                var names = new List<(string Resource, string? Sub)> { (type.Plural, null) };
                if (type.HasStatus) names.Add((type.Plural, "status"));
                if (type == ResourceCatalog.Pods) names.AddRange([(type.Plural, "log"), (type.Plural, "portforward"), (type.Plural, "exec")]);
                foreach (var (resource, sub) in names)
                {
                    var verbs = Verbs.Where(v => IsAllowed(v, resource, sub, ns)).ToArray();
                    if (verbs.Length > 0) rules.Add(Rule(verbs, [type.Group], [sub is null ? resource : $"{resource}/{sub}"]));
                }
            }
        }
        var result = Json.Clone(review);
        result["apiVersion"] = "authorization.k8s.io/v1";
        result["kind"] = "SelfSubjectRulesReview";
        result["metadata"] ??= new JsonObject();
        result["status"] = new JsonObject
        {
            ["resourceRules"] = rules,
            ["nonResourceRules"] = new JsonArray(),
            ["incomplete"] = RulesReviewIncomplete,
        };
        if (RulesReviewIncomplete) result["status"]!["evaluationError"] = "webhook authorizer does not support user rule resolution";
        return result;
    }

    private static JsonObject Rule(string[] verbs, string[] groups, string[] resources) => new()
    {
        ["verbs"] = new JsonArray(verbs.Select(v => (JsonNode)JsonValue.Create(v)).ToArray()),
        ["apiGroups"] = new JsonArray(groups.Select(v => (JsonNode)JsonValue.Create(v)).ToArray()),
        ["resources"] = new JsonArray(resources.Select(v => (JsonNode)JsonValue.Create(v)).ToArray()),
    };
}
