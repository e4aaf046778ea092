namespace Kindling.Testing.FakeKube;

/// <summary>What a request addresses, parsed from the URL the way the apiserver's RequestInfoResolver does.</summary>
internal sealed record RequestInfo(
    string Verb,
    ResourceType? Resource,
    string? Namespace,
    string? Name,
    string? Subresource,
    string Group,
    string Version)
{
    public bool IsResourceRequest => Resource is not null;

    /// <summary>Parses <c>/api/v1/...</c> and <c>/apis/{group}/{version}/...</c>; null for other paths.</summary>
    public static RequestInfo? Parse(string method, string path, bool watchParam)
    {
        var parts = path.Trim('/').Split('/', StringSplitOptions.RemoveEmptyEntries);
        string group, version;
        int at;
        if (parts.Length >= 2 && parts[0] == "api")
        {
            (group, version, at) = ("", parts[1], 2);
        }
        else if (parts.Length >= 3 && parts[0] == "apis")
        {
            (group, version, at) = (parts[1], parts[2], 3);
        }
        else
        {
            return null;
        }

        var rest = parts[at..];
        var watch = watchParam;
        if (rest.Length > 0 && rest[0] == "watch")
        {
            watch = true;
            rest = rest[1..];
        }

        if (rest.Length == 0)
        {
            return new RequestInfo("get", null, null, null, null, group, version);
        }

        // "namespaces/{ns}/{resource}..." addresses a namespaced resource, except the namespace's own
        // subresources ("namespaces/{ns}/status", "namespaces/{ns}/finalize").
        string? ns = null;
        var namespaceOwnSubresource = group.Length == 0 && rest.Length == 3 && rest[2] is "status" or "finalize";
        if (rest[0] == "namespaces" && rest.Length >= 3 && !namespaceOwnSubresource)
        {
            ns = rest[1];
            rest = rest[2..];
        }

        var type = ResourceCatalog.Find(group, version, rest[0]);
        var name = rest.Length > 1 ? rest[1] : null;
        var sub = rest.Length > 2 ? rest[2] : null;
        var verb = (method, name) switch
        {
            ("GET", null) => watch ? "watch" : "list",
            ("GET", _) => watch ? "watch" : "get",
            ("POST", _) => "create",
            ("PUT", _) => "update",
            ("PATCH", _) => "patch",
            ("DELETE", null) => "deletecollection",
            ("DELETE", _) => "delete",
            _ => method.ToLowerInvariant(),
        };

        // A resource the fake does not serve is still a resource request; handlers answer 404.
        return new RequestInfo(verb, type ?? new ResourceType(group, version, rest[0], rest[0], ns is not null, rest[0], []), ns, name, sub, group, version)
        {
            Known = type is not null,
        };
    }

    public bool Known { get; init; }
}
