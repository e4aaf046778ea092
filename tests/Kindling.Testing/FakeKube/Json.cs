using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Kindling.Testing.FakeKube;

/// <summary>Small helpers over <see cref="JsonObject"/>, the fake's storage format for every object.</summary>
internal static class Json
{
    public static JsonObject Meta(JsonObject obj)
    {
        if (obj["metadata"] is JsonObject meta)
        {
            return meta;
        }

        meta = new JsonObject();
        obj["metadata"] = meta;
        return meta;
    }

    public static string? Str(JsonNode? node, string property) =>
        node is JsonObject o && o[property] is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    public static string Name(JsonObject obj) => Str(obj["metadata"], "name") ?? "";

    public static string Namespace(JsonObject obj) => Str(obj["metadata"], "namespace") ?? "";

    public static string? Uid(JsonObject obj) => Str(obj["metadata"], "uid");

    public static long ResourceVersion(JsonObject obj) =>
        long.TryParse(Str(obj["metadata"], "resourceVersion"), NumberStyles.None, CultureInfo.InvariantCulture, out var rv) ? rv : 0;

    public static IReadOnlyDictionary<string, string> Labels(JsonObject obj) => StringMap(obj["metadata"]?["labels"]);

    public static IReadOnlyDictionary<string, string> StringMap(JsonNode? node)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        if (node is JsonObject o)
        {
            foreach (var (k, v) in o)
            {
                if (v is JsonValue value && value.TryGetValue<string>(out var s))
                {
                    map[k] = s;
                }
            }
        }

        return map;
    }

    public static long? Long(JsonNode? node) =>
        node is JsonValue v
            ? v.TryGetValue<long>(out var l) ? l
            : v.TryGetValue<int>(out var i) ? i
            : v.TryGetValue<double>(out var d) ? (long)d
            : v.TryGetValue<string>(out var s) && long.TryParse(s, CultureInfo.InvariantCulture, out var p) ? p
            : null
            : null;

    public static bool? Bool(JsonNode? node) => node is JsonValue v && v.TryGetValue<bool>(out var b) ? b : null;

    public static JsonObject Clone(JsonObject obj) => (JsonObject)obj.DeepClone();

    public static JsonObject Parse(string text)
    {
        try
        {
            return JsonNode.Parse(text) as JsonObject
                ?? throw ApiException.BadRequest("the request body must be a JSON object");
        }
        catch (JsonException e)
        {
            throw ApiException.BadRequest($"error decoding the request body: {e.Message}");
        }
    }

    public static string Timestamp(DateTimeOffset time) =>
        time.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>Deep equality treating 1 and 1.0 alike, which is how Go's decoders see JSON numbers.</summary>
    public static bool Same(JsonNode? a, JsonNode? b)
    {
        if (a is null || b is null)
        {
            return a is null && b is null;
        }

        if (a is JsonValue va && b is JsonValue vb && va.GetValueKind() == JsonValueKind.Number && vb.GetValueKind() == JsonValueKind.Number)
        {
            return decimal.Parse(va.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture)
                == decimal.Parse(vb.ToJsonString(), NumberStyles.Float, CultureInfo.InvariantCulture);
        }

        return JsonNode.DeepEquals(a, b);
    }
}
