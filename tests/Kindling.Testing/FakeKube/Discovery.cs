using System.Text.Json.Nodes;

namespace Kindling.Testing.FakeKube;

/// <summary>/version, /api, /apis and the per-group-version resource lists that kubectl's discovery reads.</summary>
internal static class Discovery
{
    private static readonly string[] AllVerbs = ["create", "delete", "deletecollection", "get", "list", "patch", "update", "watch"];

    public static JsonObject Version(string gitVersion)
    {
        var parts = gitVersion.TrimStart('v').Split('.');
        return new JsonObject
        {
            ["major"] = parts[0],
            ["minor"] = parts.Length > 1 ? parts[1] : "0",
            ["gitVersion"] = gitVersion,
            ["gitCommit"] = "0000000000000000000000000000000000000000",
            ["gitTreeState"] = "clean",
            ["buildDate"] = "2026-01-01T00:00:00Z",
            ["goVersion"] = "go1.23.0",
            ["compiler"] = "gc",
            ["platform"] = "linux/amd64",
        };
    }

    public static JsonObject? Describe(string path, Func<ResourceType, bool> served)
    {
        var parts = path.Trim('/').Split('/', StringSplitOptions.RemoveEmptyEntries);
        return parts switch
        {
            ["api"] => new JsonObject
            {
                ["kind"] = "APIVersions",
                ["versions"] = new JsonArray("v1"),
                ["serverAddressByClientCIDRs"] = new JsonArray(new JsonObject { ["clientCIDR"] = "0.0.0.0/0", ["serverAddress"] = "127.0.0.1" }),
            },
            ["api", "v1"] => ResourceList("", "v1"),
            ["apis"] => new JsonObject
            {
                ["kind"] = "APIGroupList",
                ["apiVersion"] = "v1",
                ["groups"] = new JsonArray(ResourceCatalog.Groups.Where(g => ResourceCatalog.All.Any(t => t.Group == g && served(t))).Select(g => (JsonNode)Group(g)).ToArray()),
            },
            ["apis", var g] when ResourceCatalog.All.Any(t => t.Group == g && served(t)) => Group(g),
            ["apis", var g, var v] when ResourceCatalog.All.Any(t => t.Group == g && t.Version == v && served(t)) => ResourceList(g, v),
            _ => null,
        };
    }

    private static JsonObject Group(string group)
    {
        var version = ResourceCatalog.All.First(t => t.Group == group).Version;
        var gv = new JsonObject { ["groupVersion"] = $"{group}/{version}", ["version"] = version };
        return new JsonObject
        {
            ["kind"] = "APIGroup",
            ["apiVersion"] = "v1",
            ["name"] = group,
            ["versions"] = new JsonArray(gv),
            ["preferredVersion"] = gv.DeepClone(),
        };
    }

    private static JsonObject ResourceList(string group, string version)
    {
        var resources = new JsonArray();
        foreach (var t in ResourceCatalog.All.Where(t => t.Group == group && t.Version == version))
        {
            var verbs = ResourceCatalog.IsReview(t) ? new[] { "create" } : AllVerbs;
            resources.Add(new JsonObject
            {
                ["name"] = t.Plural,
                ["singularName"] = t.Singular,
                ["namespaced"] = t.Namespaced,
                ["kind"] = t.Kind,
                ["verbs"] = new JsonArray(verbs.Select(v => (JsonNode)JsonValue.Create(v)).ToArray()),
                ["shortNames"] = new JsonArray(t.ShortNames.Select(s => (JsonNode)JsonValue.Create(s)).ToArray()),
            });
            if (t.HasStatus)
            {
                resources.Add(Sub(t, "status", ["get", "patch", "update"]));
            }
        }

        if (group.Length == 0)
        {
            resources.Add(Sub(ResourceCatalog.Pods, "log", ["get"]));
            resources.Add(Sub(ResourceCatalog.Pods, "portforward", ["create", "get"]));
        }

        return new JsonObject
        {
            ["kind"] = "APIResourceList",
            ["apiVersion"] = "v1",
            ["groupVersion"] = group.Length == 0 ? version : $"{group}/{version}",
            ["resources"] = resources,
        };
    }

    private static JsonObject Sub(ResourceType t, string sub, string[] verbs) => new()
    {
        ["name"] = $"{t.Plural}/{sub}",
        ["singularName"] = "",
        ["namespaced"] = t.Namespaced,
        ["kind"] = sub == "log" || sub == "portforward" ? (sub == "log" ? "Pod" : "PodPortForwardOptions") : t.Kind,
        ["verbs"] = new JsonArray(verbs.Select(v => (JsonNode)JsonValue.Create(v)).ToArray()),
    };
}
