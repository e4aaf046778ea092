using System.Text.Json.Nodes;

namespace Kindling.Testing.FakeKube;

/// <summary>
/// A set of field paths in the structure of <c>managedFields[].fieldsV1</c>: <c>f:name</c> for a field,
/// <c>k:{...}</c> for an associative-list item, <c>.</c> for the map or item itself. Paths are kept flat
/// (elements joined by <see cref="Sep"/>) so set algebra is plain <see cref="HashSet{T}"/> algebra.
/// </summary>
internal sealed class FieldSet
{
    public const char Sep = '\u0001';

    private static readonly HashSet<string> SystemMetadata = new(StringComparer.Ordinal)
    {
        "name", "namespace", "uid", "resourceVersion", "generation", "creationTimestamp", "managedFields",
        "deletionTimestamp", "deletionGracePeriodSeconds", "selfLink", "generateName",
    };

    public FieldSet(IEnumerable<string>? paths = null) => Paths = new HashSet<string>(paths ?? [], StringComparer.Ordinal);

    public HashSet<string> Paths { get; }

    public bool IsEmpty => Paths.Count == 0;

    public bool SetEquals(FieldSet other) => Paths.SetEquals(other.Paths);

    /// <summary>The fields an object sets, skipping identity/system metadata and (optionally) status.</summary>
    public static FieldSet Of(JsonObject obj, bool includeStatus, bool onlyStatus = false)
    {
        var set = new FieldSet();
        foreach (var (name, value) in obj)
        {
            if (name is "apiVersion" or "kind" || (name == "status" && !includeStatus) || (onlyStatus && name != "status"))
            {
                continue;
            }

            if (name == "metadata" && value is JsonObject meta)
            {
                foreach (var (m, v) in meta)
                {
                    if (!SystemMetadata.Contains(m))
                    {
                        set.Walk("f:metadata" + Sep + "f:" + m, m, v);
                    }
                }

                continue;
            }

            set.Walk("f:" + name, name, value);
        }

        return set;
    }

    private void Walk(string path, string field, JsonNode? value)
    {
        switch (value)
        {
            case JsonObject o when o.Count > 0:
                if (ListSchema.IsMap(field, o))
                {
                    Paths.Add(path + Sep + ".");
                }

                foreach (var (k, v) in o)
                {
                    Walk(path + Sep + "f:" + k, k, v);
                }

                break;
            case JsonArray a when ListSchema.Keys(field, a) is { } keys:
                foreach (var item in a.OfType<JsonObject>())
                {
                    var itemPath = path + Sep + ListSchema.KeyOf(item, keys);
                    Paths.Add(itemPath + Sep + ".");
                    foreach (var (k, v) in item)
                    {
                        Walk(itemPath + Sep + "f:" + k, k, v);
                    }
                }

                break;
            default:
                Paths.Add(path);
                break;
        }
    }

    /// <summary>Resolves a path against an object; <c>.</c> resolves to the containing map or item.</summary>
    public static bool TryResolve(JsonNode? root, string path, out JsonNode? value)
    {
        value = root;
        string? lastField = null;
        foreach (var element in path.Split(Sep))
        {
            if (element == ".")
            {
                return value is not null;
            }

            if (element.StartsWith("f:", StringComparison.Ordinal) && value is JsonObject o)
            {
                lastField = element[2..];
                if (!o.TryGetPropertyValue(lastField, out value))
                {
                    return false;
                }
            }
            else if (element.StartsWith("k:", StringComparison.Ordinal) && value is JsonArray a && lastField is not null
                     && ListSchema.Keys(lastField, a) is { } keys)
            {
                value = ListSchema.FindItem(a, keys, element);
                if (value is null)
                {
                    return false;
                }
            }
            else
            {
                return false;
            }
        }

        return true;
    }

    /// <summary>Removes the field (or, for a <c>.</c> path, the map or list item) from <paramref name="root"/>.</summary>
    public static void Remove(JsonObject root, string path)
    {
        var elements = path.Split(Sep);
        if (elements[^1] == ".")
        {
            elements = elements[..^1];
        }

        JsonNode? parent = root;
        string? lastField = null;
        for (var i = 0; i < elements.Length - 1; i++)
        {
            if (!TryStep(ref parent, ref lastField, elements[i]))
            {
                return;
            }
        }

        var leaf = elements[^1];
        if (leaf.StartsWith("f:", StringComparison.Ordinal) && parent is JsonObject o)
        {
            o.Remove(leaf[2..]);
        }
        else if (leaf.StartsWith("k:", StringComparison.Ordinal) && parent is JsonArray a && lastField is not null
                 && ListSchema.Keys(lastField, a) is { } keys && ListSchema.FindItem(a, keys, leaf) is { } item)
        {
            a.Remove(item);
        }
    }

    private static bool TryStep(ref JsonNode? node, ref string? lastField, string element)
    {
        if (element.StartsWith("f:", StringComparison.Ordinal) && node is JsonObject o)
        {
            lastField = element[2..];
            node = o[lastField];
            return node is not null;
        }

        if (element.StartsWith("k:", StringComparison.Ordinal) && node is JsonArray a && lastField is not null
            && ListSchema.Keys(lastField, a) is { } keys)
        {
            node = ListSchema.FindItem(a, keys, element);
            return node is not null;
        }

        return false;
    }

    /// <summary>Renders the set as the nested <c>fieldsV1</c> object the apiserver returns.</summary>
    public JsonObject ToFieldsV1()
    {
        var root = new JsonObject();
        foreach (var path in Paths.Order(StringComparer.Ordinal))
        {
            var node = root;
            foreach (var element in path.Split(Sep))
            {
                if (node[element] is not JsonObject child)
                {
                    child = new JsonObject();
                    node[element] = child;
                }

                node = child;
            }
        }

        return root;
    }

    public static FieldSet FromFieldsV1(JsonNode? fields)
    {
        var set = new FieldSet();
        if (fields is JsonObject o)
        {
            Flatten(o, "", set.Paths);
        }

        return set;
    }

    private static void Flatten(JsonObject node, string prefix, HashSet<string> into)
    {
        foreach (var (k, v) in node)
        {
            var path = prefix.Length == 0 ? k : prefix + Sep + k;
            if (v is JsonObject child && child.Count > 0)
            {
                Flatten(child, path, into);
            }
            else
            {
                into.Add(path);
            }
        }
    }

    /// <summary>".spec.replicas"-style rendering used in conflict messages.</summary>
    public static string Display(string path) =>
        string.Concat(path.Split(Sep).Where(e => e != ".").Select(e => e.StartsWith("f:", StringComparison.Ordinal) ? "." + e[2..] : "[" + e[2..] + "]"));
}
