using System.Text.Json.Nodes;
using k8s;
using Kindling.Json;

namespace Kindling.Resources;

/// <summary>
/// Kubernetes objects as YAML, and deep copies, through the official client's JSON (source-generated, no
/// reflection) instead of <c>KubernetesYaml</c>, whose static constructor reflects over every model type (~0.4 s of
/// a cold start, and not Native AOT safe). The YAML is the JSON tree written with the same scalar rules as
/// <c>KubernetesYaml</c>, so files rendered before are byte-identical.
/// </summary>
internal static class KubeYaml
{
    /// <summary>
    /// The YAML document of a Kubernetes object (or any model), without a final newline (as <c>KubernetesYaml</c>):
    /// <c>apiVersion</c>, <c>kind</c>, <c>metadata</c> first, then the other keys in the model's order.
    /// </summary>
    public static string Serialize(object obj) => Serialize(JsonNode.Parse(KubernetesJson.Serialize(obj)));

    /// <summary>The YAML document of an object's JSON tree (see <see cref="Serialize(object)"/>).</summary>
    public static string Serialize(JsonNode? tree)
    {
        PreferredOrder(tree);
        return JsonYaml.Write(tree, IsQuantity).TrimEnd('\n');
    }

    // KubernetesYaml (WithOverridesFromJsonPropertyAttributes) puts apiVersion, kind and metadata first in every model
    // that has an apiVersion or kind, as people write manifests; the JSON keeps the OpenAPI (alphabetical) order.
    private static void PreferredOrder(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject obj:
                if (obj.ContainsKey("apiVersion") || obj.ContainsKey("kind"))
                {
                    var entries = obj.ToList();
                    obj.Clear();
                    foreach (var key in (string[])["apiVersion", "kind", "metadata"])
                        if (entries.FirstOrDefault(e => e.Key == key) is { Key: not null } first) obj[key] = first.Value;
                    foreach (var (key, value) in entries)
                        if (key is not ("apiVersion" or "kind" or "metadata")) obj[key] = value;
                }
                foreach (var (_, value) in obj) PreferredOrder(value);
                break;
            case JsonArray array:
                foreach (var item in array) PreferredOrder(item);
                break;
        }
    }

    /// <summary>A deep copy, through JSON.</summary>
    public static T Copy<T>(T obj) where T : class => KubernetesJson.Deserialize<T>(KubernetesJson.Serialize(obj));

    /// <summary>One object from a YAML document, decoded as kubectl decodes it (YAML to JSON, then the object).</summary>
    /// <exception cref="YamlDotNet.Core.YamlException">Not YAML.</exception>
    /// <exception cref="System.Text.Json.JsonException">Not the object (its <c>Path</c> names the field).</exception>
    public static T Deserialize<T>(string yaml) where T : class =>
        YamlJson.Read(yaml) is { } tree ? KubernetesJson.Deserialize<T>(tree) : throw new System.Text.Json.JsonException("the document is empty");

    // A resource.Quantity is a JSON string, but KubernetesYaml writes it plain ('cpu: 1'), which every reader takes
    // as the same quantity; kept plain so rendered files do not change. Quantities sit in resource lists
    // (requests/limits of containers and claims, ResourceQuota hard, LimitRange limits, node capacity) and sizeLimit.
    private static bool IsQuantity(IReadOnlyList<string> path)
    {
        if (path.Count == 0) return false;
        if (path[^1] == "sizeLimit") return true;
        if (path.Count < 3) return path.Count == 2 && path[0] is "hard";
        var parent = path[^2];
        var grandparent = path[^3];
        return parent switch
        {
            "requests" or "limits" => grandparent == "resources",
            "hard" or "used" => grandparent is "spec" or "status",
            "capacity" or "allocatable" => grandparent == "status",
            "default" or "defaultRequest" or "max" or "min" or "maxLimitRequestRatio" => grandparent == "limits",
            "overhead" => grandparent == "spec",
            _ => false,
        };
    }
}
