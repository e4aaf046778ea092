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
}
