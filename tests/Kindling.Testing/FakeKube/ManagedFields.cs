using System.Text.Json.Nodes;

namespace Kindling.Testing.FakeKube;

/// <summary>One <c>metadata.managedFields</c> entry: who set which fields, by Apply or by Update.</summary>
internal sealed class ManagedEntry
{
    public required string Manager { get; init; }

    public required string Operation { get; init; }

    public string? Subresource { get; init; }

    public required string ApiVersion { get; set; }

    public string? Time { get; set; }

    public required FieldSet Fields { get; set; }

    public bool IsApplyBy(string manager, string? subresource) =>
        Manager == manager && Operation == "Apply" && Subresource == subresource;

    public bool IsUpdateBy(string manager, string? subresource) =>
        Manager == manager && Operation == "Update" && Subresource == subresource;
}

/// <summary>Reads, transfers and writes field ownership.</summary>
internal static class ManagedFields
{
    public static List<ManagedEntry> Read(JsonObject? obj)
    {
        var entries = new List<ManagedEntry>();
        if (obj?["metadata"]?["managedFields"] is not JsonArray array)
        {
            return entries;
        }

        foreach (var e in array.OfType<JsonObject>())
        {
            entries.Add(new ManagedEntry
            {
                Manager = Json.Str(e, "manager") ?? "",
                Operation = Json.Str(e, "operation") ?? "Update",
                Subresource = Json.Str(e, "subresource"),
                ApiVersion = Json.Str(e, "apiVersion") ?? "",
                Time = Json.Str(e, "time"),
                Fields = FieldSet.FromFieldsV1(e["fieldsV1"]),
            });
        }

        return entries;
    }

    /// <summary>
    /// Writes entries back, keeping an entry's old timestamp when its fields did not change so that a no-op
    /// request produces a byte-identical object (and therefore keeps its resourceVersion).
    /// </summary>
    public static void Write(JsonObject obj, List<ManagedEntry> entries, List<ManagedEntry> previous, string now)
    {
        var array = new JsonArray();
        foreach (var e in entries.Where(e => !e.Fields.IsEmpty))
        {
            var before = previous.FirstOrDefault(p => p.Manager == e.Manager && p.Operation == e.Operation && p.Subresource == e.Subresource);
            var time = before is not null && before.Fields.SetEquals(e.Fields) && before.ApiVersion == e.ApiVersion ? before.Time : now;
            var entry = new JsonObject
            {
                ["manager"] = e.Manager,
                ["operation"] = e.Operation,
                ["apiVersion"] = e.ApiVersion,
                ["time"] = time,
                ["fieldsType"] = "FieldsV1",
                ["fieldsV1"] = e.Fields.ToFieldsV1(),
            };
            if (e.Subresource is not null)
            {
                entry["subresource"] = e.Subresource;
            }

            array.Add(entry);
        }

        var meta = Json.Meta(obj);
        if (array.Count > 0)
        {
            meta["managedFields"] = array;
        }
        else
        {
            meta.Remove("managedFields");
        }
    }

    /// <summary>
    /// Ownership after a non-apply write (create, update, merge/json patch, status update): the writer takes
    /// every field it changed or added, other managers lose those, and removed fields leave every set.
    /// </summary>
    public static List<ManagedEntry> TrackUpdate(JsonObject? before, JsonObject after, string manager, string? subresource, ResourceType type)
    {
        var entries = Read(before);
        var apiVersion = type.ApiVersion;
        var statusOnly = subresource == "status";
        var includeStatus = statusOnly || !type.HasStatus;
        var newFields = FieldSet.Of(after, includeStatus, onlyStatus: statusOnly);
        var oldFields = before is null ? new FieldSet() : FieldSet.Of(before, includeStatus, onlyStatus: statusOnly);

        var changed = new HashSet<string>(StringComparer.Ordinal);
        foreach (var path in newFields.Paths)
        {
            if (!oldFields.Paths.Contains(path))
            {
                changed.Add(path);
            }
            else if (!path.EndsWith(".", StringComparison.Ordinal)
                     && FieldSet.TryResolve(before, path, out var oldValue) && FieldSet.TryResolve(after, path, out var newValue)
                     && !Json.Same(oldValue, newValue))
            {
                changed.Add(path);
            }
        }

        var removed = oldFields.Paths.Where(p => !newFields.Paths.Contains(p)).ToHashSet(StringComparer.Ordinal);
        foreach (var e in entries)
        {
            e.Fields.Paths.ExceptWith(removed);
            if (!e.IsUpdateBy(manager, subresource))
            {
                e.Fields.Paths.ExceptWith(changed);
            }
        }

        if (changed.Count > 0)
        {
            var mine = entries.FirstOrDefault(e => e.IsUpdateBy(manager, subresource));
            if (mine is null)
            {
                mine = new ManagedEntry { Manager = manager, Operation = "Update", Subresource = subresource, ApiVersion = apiVersion, Fields = new FieldSet() };
                entries.Add(mine);
            }

            mine.ApiVersion = apiVersion;
            mine.Fields.Paths.UnionWith(changed);
        }

        return entries;
    }
}
