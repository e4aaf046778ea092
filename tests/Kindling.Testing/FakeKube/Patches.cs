using System.Text.Json.Nodes;

namespace Kindling.Testing.FakeKube;

/// <summary>The non-apply PATCH flavours: JSON merge patch, strategic merge patch and JSON patch.</summary>
internal static class Patches
{
    public const string MergePatch = "application/merge-patch+json";
    public const string StrategicMergePatch = "application/strategic-merge-patch+json";
    public const string JsonPatch = "application/json-patch+json";
    public const string ApplyPatch = "application/apply-patch+yaml";

    /// <summary>RFC 7386: objects merge recursively, null deletes, everything else (lists too) replaces.</summary>
    public static JsonNode? Merge(JsonNode? target, JsonNode? patch)
    {
        if (patch is not JsonObject p)
        {
            return patch?.DeepClone();
        }

        var result = target as JsonObject ?? new JsonObject();
        foreach (var (k, v) in p)
        {
            if (v is null)
            {
                result.Remove(k);
            }
            else
            {
                result[k] = Merge(result[k]?.DeepClone(), v);
            }
        }

        return result;
    }

    /// <summary>
    /// Strategic merge patch for the lists Kubernetes declares with <c>patchMergeKey</c> (containers, env,
    /// ports, volumes... see <see cref="ListSchema"/>): items merge by key and <c>$patch: delete</c> removes one.
    /// Other lists replace, like a merge patch.
    /// </summary>
    public static JsonNode? Strategic(JsonNode? target, JsonNode? patch, string field = "")
    {
        if (patch is JsonArray items && target is JsonArray current && ListSchema.Keys(field, items) is { } keys)
        {
            foreach (var item in items.OfType<JsonObject>())
            {
                var existing = ListSchema.FindItem(current, keys, ListSchema.KeyOf(item, keys));
                if (Json.Str(item, "$patch") == "delete")
                {
                    if (existing is not null)
                    {
                        current.Remove(existing);
                    }
                }
                else if (existing is null)
                {
                    current.Add(item.DeepClone());
                }
                else
                {
                    Strategic(existing, item, field);
                }
            }

            return current;
        }

        if (patch is not JsonObject p)
        {
            return patch?.DeepClone();
        }

        var result = target as JsonObject ?? new JsonObject();
        foreach (var (k, v) in p)
        {
            if (v is null)
            {
                result.Remove(k);
            }
            else if (!k.StartsWith('$'))
            {
                result[k] = Strategic(result[k]?.DeepClone(), v, k);
            }
        }

        return result;
    }

    /// <summary>RFC 6902 with RFC 6901 pointers.</summary>
    public static JsonObject Apply6902(JsonObject target, JsonArray operations)
    {
        var doc = Json.Clone(target);
        foreach (var op in operations.OfType<JsonObject>())
        {
            var kind = Json.Str(op, "op");
            var path = Json.Str(op, "path") ?? throw ApiException.BadRequest("json patch operation is missing 'path'");
            switch (kind)
            {
                case "add":
                    Put(doc, path, op["value"]?.DeepClone(), insert: true);
                    break;
                case "replace":
                    Get(doc, path);
                    Put(doc, path, op["value"]?.DeepClone(), insert: false);
                    break;
                case "remove":
                    Delete(doc, path);
                    break;
                case "test":
                    if (!Json.Same(Get(doc, path), op["value"]))
                    {
                        throw new ApiException(422, "Invalid", $"the server rejected our request due to an error in our request: test failed for path {path}");
                    }

                    break;
                case "move":
                case "copy":
                    var from = Json.Str(op, "from") ?? throw ApiException.BadRequest($"json patch {kind} is missing 'from'");
                    var value = Get(doc, from)?.DeepClone();
                    if (kind == "move")
                    {
                        Delete(doc, from);
                    }

                    Put(doc, path, value, insert: true);
                    break;
                default:
                    throw ApiException.BadRequest($"Unexpected kind: {kind}");
            }
        }

        return doc;
    }

    private static (JsonNode Parent, string Token) Parent(JsonObject doc, string pointer)
    {
        var tokens = pointer.Split('/').Skip(1).Select(t => t.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal)).ToArray();
        if (tokens.Length == 0)
        {
            throw ApiException.BadRequest("json patch on the document root is not supported");
        }

        JsonNode node = doc;
        foreach (var t in tokens[..^1])
        {
            node = Child(node, t) ?? throw Missing(pointer);
        }

        return (node, tokens[^1]);
    }

    private static JsonNode? Child(JsonNode node, string token) => node switch
    {
        JsonObject o => o[token],
        JsonArray a when int.TryParse(token, out var i) && i >= 0 && i < a.Count => a[i],
        _ => null,
    };

    private static JsonNode? Get(JsonObject doc, string pointer)
    {
        var (parent, token) = Parent(doc, pointer);
        return parent switch
        {
            JsonObject o when o.TryGetPropertyValue(token, out var v) => v,
            JsonArray a when int.TryParse(token, out var i) && i >= 0 && i < a.Count => a[i],
            _ => throw Missing(pointer),
        };
    }

    private static void Put(JsonObject doc, string pointer, JsonNode? value, bool insert)
    {
        var (parent, token) = Parent(doc, pointer);
        switch (parent)
        {
            case JsonObject o:
                o[token] = value;
                break;
            case JsonArray a when token == "-":
                a.Add(value);
                break;
            case JsonArray a when int.TryParse(token, out var i) && i >= 0 && i <= a.Count:
                if (insert)
                {
                    a.Insert(i, value);
                }
                else
                {
                    a[i] = value;
                }

                break;
            default:
                throw Missing(pointer);
        }
    }

    private static void Delete(JsonObject doc, string pointer)
    {
        var (parent, token) = Parent(doc, pointer);
        var removed = parent switch
        {
            JsonObject o => o.Remove(token),
            JsonArray a when int.TryParse(token, out var i) && i >= 0 && i < a.Count => RemoveAt(a, i),
            _ => false,
        };
        if (!removed)
        {
            throw Missing(pointer);
        }
    }

    private static bool RemoveAt(JsonArray a, int i)
    {
        a.RemoveAt(i);
        return true;
    }

    private static ApiException Missing(string pointer) =>
        new(422, "Invalid", $"the server rejected our request due to an error in our request: doc is missing path: \"{pointer}\"");
}
