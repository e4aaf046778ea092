using System.Text.Json.Nodes;

namespace Kindling.Testing.FakeKube;

/// <summary>
/// Server-side apply (<c>PATCH</c> with <c>application/apply-patch+yaml</c>), following the documented rules:
/// <list type="bullet">
/// <item>the applied configuration is merged into the live object (maps key by key, associative lists item by
/// item on their keys, atomic lists and scalars replaced);</item>
/// <item>a field this manager applied before and omits now is removed, unless another manager also owns it;</item>
/// <item>setting a field another manager owns to a different value is a 409 conflict, unless force=true, in
/// which case ownership moves to this manager;</item>
/// <item>equal values are co-owned without conflict.</item>
/// </list>
/// </summary>
internal static class ServerSideApply
{
    public sealed record Result(JsonObject Object, List<ManagedEntry> Entries);

    public static Result Apply(JsonObject? live, JsonObject applied, ApplyRequest request)
    {
        var includeStatus = request.Subresource == "status" || !request.Type.HasStatus;
        var onlyStatus = request.Subresource == "status";
        var appliedFields = FieldSet.Of(applied, includeStatus, onlyStatus);
        var entries = ManagedFields.Read(live);

        var conflicts = new List<(ManagedEntry Owner, string Path)>();
        foreach (var entry in entries.Where(e => !e.IsApplyBy(request.Manager, request.Subresource)))
        {
            foreach (var path in appliedFields.Paths.Where(p => entry.Fields.Paths.Contains(p) && !p.EndsWith(".", StringComparison.Ordinal)))
            {
                FieldSet.TryResolve(applied, path, out var want);
                FieldSet.TryResolve(live, path, out var have);
                if (!Json.Same(want, have))
                {
                    conflicts.Add((entry, path));
                }
            }
        }

        if (conflicts.Count > 0 && !request.Force)
        {
            throw ConflictError(request, conflicts);
        }

        foreach (var (owner, path) in conflicts)
        {
            owner.Fields.Paths.Remove(path);
        }

        var result = live is null ? new JsonObject() : Json.Clone(live);
        var mine = entries.FirstOrDefault(e => e.IsApplyBy(request.Manager, request.Subresource));
        if (mine is not null)
        {
            var others = entries.Where(e => e != mine).SelectMany(e => e.Fields.Paths).ToHashSet(StringComparer.Ordinal);

            // Deepest paths first so a removed list item is not looked up after its parent went away.
            foreach (var path in mine.Fields.Paths.Except(appliedFields.Paths).OrderByDescending(p => p.Length))
            {
                var container = path.EndsWith("." , StringComparison.Ordinal) ? path[..^2] : null;
                var sharedBelow = container is not null && others.Any(o => o.StartsWith(container + FieldSet.Sep, StringComparison.Ordinal));
                if (!others.Contains(path) && !sharedBelow)
                {
                    FieldSet.Remove(result, path);
                }
            }
        }

        foreach (var (name, value) in applied)
        {
            if (name is "apiVersion" or "kind")
            {
                continue;
            }

            if (name == "metadata" && value is JsonObject meta)
            {
                var liveMeta = Json.Meta(result);
                foreach (var (m, v) in meta)
                {
                    if (m is "labels" or "annotations" or "ownerReferences" or "finalizers")
                    {
                        liveMeta[m] = Merge(liveMeta[m], v, m);
                    }
                }

                continue;
            }

            if ((name == "status") == onlyStatus && (name != "status" || includeStatus))
            {
                result[name] = Merge(result[name], value, name);
            }
        }

        if (appliedFields.IsEmpty)
        {
            entries.Remove(mine!);
        }
        else if (mine is null)
        {
            entries.Add(new ManagedEntry
            {
                Manager = request.Manager,
                Operation = "Apply",
                Subresource = request.Subresource,
                ApiVersion = request.Type.ApiVersion,
                Fields = appliedFields,
            });
        }
        else
        {
            mine.Fields = appliedFields;
        }

        entries.RemoveAll(e => e is null || e.Fields.IsEmpty);
        return new Result(result, entries);
    }

    /// <summary>Merges <paramref name="applied"/> over <paramref name="live"/> following the list/map schema.</summary>
    public static JsonNode? Merge(JsonNode? live, JsonNode? applied, string field)
    {
        if (applied is JsonObject a && live is JsonObject l)
        {
            foreach (var (k, v) in a)
            {
                l[k] = Merge(l[k], v, k);
            }

            return l;
        }

        if (applied is JsonArray items && live is JsonArray current && ListSchema.Keys(field, items) is { } keys
            && current.All(i => i is JsonObject))
        {
            foreach (var item in items.OfType<JsonObject>())
            {
                var existing = ListSchema.FindItem(current, keys, ListSchema.KeyOf(item, keys));
                if (existing is null)
                {
                    current.Add(item.DeepClone());
                }
                else
                {
                    Merge(existing, item, field);
                }
            }

            return current;
        }

        return applied?.DeepClone();
    }

    private static ApiException ConflictError(ApplyRequest request, List<(ManagedEntry Owner, string Path)> conflicts)
    {
        var causes = new JsonArray();
        var lines = new List<string>();
        foreach (var (owner, path) in conflicts)
        {
            var message = $"conflict with \"{owner.Manager}\"" + (owner.Operation == "Update" ? $" using {owner.ApiVersion}" : "");
            causes.Add(new JsonObject { ["reason"] = "FieldManagerConflict", ["message"] = message, ["field"] = FieldSet.Display(path) });
            lines.Add($"{message}: {FieldSet.Display(path)}");
        }

        var summary = conflicts.Count == 1
            ? $"Apply failed with 1 conflict: {lines[0]}"
            : $"Apply failed with {conflicts.Count} conflicts: " + string.Join("\n", lines);
        return new ApiException(409, "Conflict", summary, ApiException.DetailsFor(request.Type, request.Name, causes));
    }
}

/// <summary>What an apply needs besides the two objects.</summary>
internal sealed record ApplyRequest(ResourceType Type, string Name, string Manager, bool Force, string? Subresource);
