using System.Text.Json.Nodes;

namespace Kindling.Testing.FakeKube;

/// <summary>
/// The slice of the Kubernetes OpenAPI schema that server-side apply and strategic merge need: which lists are
/// associative (merged item by item on their key fields, <c>x-kubernetes-list-type: map</c>) and which objects are
/// granular maps (<c>map[string]string</c>, owned key by key). Every other list is atomic, as in the real schema
/// for args, command, rules, subjects, ingress/egress, tolerations and envFrom.
/// </summary>
internal static class ListSchema
{
    private static readonly Dictionary<string, string[]> KeysByField = new(StringComparer.Ordinal)
    {
        ["containers"] = ["name"],
        ["initContainers"] = ["name"],
        ["ephemeralContainers"] = ["name"],
        ["volumes"] = ["name"],
        ["env"] = ["name"],
        ["imagePullSecrets"] = ["name"],
        ["volumeMounts"] = ["mountPath"],
        ["volumeDevices"] = ["devicePath"],
        ["hostAliases"] = ["ip"],
        ["conditions"] = ["type"],
        ["ownerReferences"] = ["uid"],
        ["containerStatuses"] = ["name"],
        ["initContainerStatuses"] = ["name"],
        ["topologySpreadConstraints"] = ["topologyKey", "whenUnsatisfiable"],
    };

    private static readonly HashSet<string> MapFields = new(StringComparer.Ordinal)
    {
        "labels", "annotations", "data", "binaryData", "stringData", "matchLabels", "nodeSelector", "limits", "requests",
    };

    /// <summary>The key fields of the list at <paramref name="field"/>, or null when the list is atomic.</summary>
    public static string[]? Keys(string field, JsonArray items)
    {
        if (items.Count == 0 || items.Any(i => i is not JsonObject))
        {
            return null;
        }

        if (field == "ports")
        {
            // Container ports are keyed by containerPort+protocol, Service ports by port+protocol.
            var first = (JsonObject)items[0]!;
            return first.ContainsKey("containerPort") ? ["containerPort", "protocol"]
                : first.ContainsKey("port") ? ["port", "protocol"]
                : null;
        }

        return KeysByField.TryGetValue(field, out var keys) ? keys : null;
    }

    public static bool IsMap(string field, JsonObject value) =>
        MapFields.Contains(field) || (field == "selector" && value.All(p => p.Value is JsonValue));

    /// <summary>The item's key as SSA writes it in fieldsV1: <c>k:{"containerPort":80,"protocol":"TCP"}</c>.</summary>
    public static string KeyOf(JsonObject item, string[] keys)
    {
        var key = new JsonObject();
        foreach (var k in keys.Order(StringComparer.Ordinal))
        {
            // protocol defaults to TCP, so an applied port without it names the same item as the defaulted live one.
            var value = item[k]?.DeepClone() ?? (k == "protocol" ? JsonValue.Create("TCP") : null);
            if (value is not null)
            {
                key[k] = value;
            }
        }

        return "k:" + key.ToJsonString();
    }

    public static JsonObject? FindItem(JsonArray items, string[] keys, string itemKey) =>
        items.OfType<JsonObject>().FirstOrDefault(i => KeyOf(i, keys) == itemKey);
}
