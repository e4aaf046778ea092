using System.Text.Json.Nodes;

namespace Kindling.Testing.FakeKube;

/// <summary>How a write is made: who makes it (field manager), whether it is a dry run, forced, or on /status.</summary>
internal sealed record WriteOptions(string Manager, bool DryRun = false, bool Force = false, string? Subresource = null, bool KeepStatus = false);

/// <summary>DELETE options: propagation (Background default, Foreground, Orphan) and preconditions.</summary>
internal sealed record DeleteOptions(string? Propagation = null, bool DryRun = false, string? PreconditionUid = null, string? PreconditionResourceVersion = null, long? GracePeriodSeconds = null);

/// <summary>
/// The apiserver's object semantics on top of <see cref="ObjectStore"/>: identity and metadata, defaulting and
/// validation, preconditions, managed fields, generation, no-op detection, finalizers and deletion rules. HTTP
/// handlers, the mini controllers and the test-control API all go through here, so they behave alike.
/// Every public method returns copies; stored objects are never handed out.
/// </summary>
internal sealed partial class ObjectApi
{
    private readonly TimeProvider _time;

    public ObjectApi(ObjectStore store, TimeProvider time, ClusterNetwork network)
    {
        Store = store;
        _time = time;
        Network = network;
    }

    public ObjectStore Store { get; }

    public ClusterNetwork Network { get; }

    /// <summary>How long a scheduled pod stays Terminating before it disappears (zero: at once).</summary>
    public TimeSpan PodTerminationGracePeriod { get; set; }

    /// <summary>Called under the lock when a pod starts graceful termination; the host schedules its removal.</summary>
    public Action<JsonObject, TimeSpan>? GracefulPodDeletion { get; set; }

    public string Now => Json.Timestamp(_time.GetUtcNow());

    public JsonObject Get(ResourceType type, string? ns, string name)
    {
        lock (Store.Gate)
        {
            return Json.Clone(Store.Get(type, ns, name) ?? throw ApiException.NotFound(type, name));
        }
    }

    public JsonObject? TryGet(ResourceType type, string? ns, string name)
    {
        lock (Store.Gate)
        {
            return Store.Get(type, ns, name) is { } o ? Json.Clone(o) : null;
        }
    }

    public (List<JsonObject> Items, long ResourceVersion) List(ResourceType type, string? ns, LabelSelector? labels = null, FieldSelector? fields = null)
    {
        lock (Store.Gate)
        {
            var items = Store.All(type, ns)
                .Where(o => labels is null || labels.Matches(Json.Labels(o)))
                .Where(o => fields is null || fields.Matches(o))
                .Select(Json.Clone)
                .ToList();
            return (items, Store.ResourceVersion);
        }
    }

    public JsonObject Create(ResourceType type, string? ns, JsonObject body, WriteOptions options)
    {
        lock (Store.Gate)
        {
            return Insert(type, ns, Json.Clone(body), options, entries: null);
        }
    }

    public JsonObject Update(ResourceType type, string? ns, string name, JsonObject body, WriteOptions options)
    {
        lock (Store.Gate)
        {
            var before = Store.Get(type, ns, name) ?? throw ApiException.NotFound(type, name);
            CheckNameMatches(type, name, body);
            var expected = Json.Str(body["metadata"], "resourceVersion");
            if (!string.IsNullOrEmpty(expected) && expected != Json.Str(before["metadata"], "resourceVersion"))
            {
                throw ApiException.Conflict(type, name);
            }

            return Commit(type, before, Json.Clone(body), options, entries: null);
        }
    }

    /// <summary>PATCH of any flavour. Apply patches create the object when it does not exist (201).</summary>
    public (JsonObject Object, bool Created) Patch(ResourceType type, string? ns, string name, string contentType, string body, WriteOptions options)
    {
        lock (Store.Gate)
        {
            var before = Store.Get(type, ns, name);
            if (contentType == Patches.ApplyPatch)
            {
                var applied = YamlToJson.Parse(body);
                CheckNameMatches(type, name, applied);
                if (Json.Str(applied, "kind") is { } kind && kind != type.Kind)
                {
                    throw ApiException.BadRequest($"the kind in the apply configuration ({kind}) does not match the resource ({type.Kind})");
                }

                var request = new ApplyRequest(type, name, options.Manager, options.Force, options.Subresource);
                var result = ServerSideApply.Apply(before is null ? null : Json.Clone(before), applied, request);
                if (before is null)
                {
                    if (options.Subresource is not null)
                    {
                        throw ApiException.NotFound(type, name);
                    }

                    Json.Meta(result.Object)["name"] = name;
                    result.Object["apiVersion"] = type.ApiVersion;
                    result.Object["kind"] = type.Kind;
                    return (Insert(type, ns, result.Object, options, result.Entries), true);
                }

                return (Commit(type, before, result.Object, options, result.Entries), false);
            }

            if (before is null)
            {
                throw ApiException.NotFound(type, name);
            }

            JsonObject after;
            switch (contentType)
            {
                case Patches.JsonPatch:
                    var ops = ParseArray(body);
                    after = Patches.Apply6902(before, ops);
                    break;
                case Patches.MergePatch:
                    after = (JsonObject)Patches.Merge(Json.Clone(before), Json.Parse(body))!;
                    break;
                case Patches.StrategicMergePatch:
                    after = (JsonObject)Patches.Strategic(Json.Clone(before), Json.Parse(body))!;
                    break;
                default:
                    throw new ApiException(415, "UnsupportedMediaType", $"the body of the request was in an unknown format - accepted media types include: {Patches.JsonPatch}, {Patches.MergePatch}, {Patches.ApplyPatch}, {Patches.StrategicMergePatch}");
            }

            var expected = Json.Str(after["metadata"], "resourceVersion");
            if (!string.IsNullOrEmpty(expected) && expected != Json.Str(before["metadata"], "resourceVersion"))
            {
                throw ApiException.Conflict(type, name);
            }

            return (Commit(type, before, after, options, entries: null), false);
        }
    }

    /// <summary>Read-modify-write used by controllers and the test-control API (no resourceVersion precondition).</summary>
    public JsonObject Modify(ResourceType type, string? ns, string name, Action<JsonObject> change, WriteOptions options)
    {
        lock (Store.Gate)
        {
            var before = Store.Get(type, ns, name) ?? throw ApiException.NotFound(type, name);
            var after = Json.Clone(before);
            change(after);
            return Commit(type, before, after, options, entries: null);
        }
    }

    private static JsonArray ParseArray(string body)
    {
        try
        {
            return JsonNode.Parse(body) as JsonArray ?? throw ApiException.BadRequest("a JSON patch must be an array of operations");
        }
        catch (System.Text.Json.JsonException e)
        {
            throw ApiException.BadRequest($"error decoding patch: {e.Message}");
        }
    }

    private static void CheckNameMatches(ResourceType type, string name, JsonObject body)
    {
        var bodyName = Json.Str(body["metadata"], "name");
        if (!string.IsNullOrEmpty(bodyName) && bodyName != name)
        {
            throw ApiException.BadRequest($"the name of the object ({bodyName}) does not match the name on the URL ({name})");
        }
    }

    private JsonObject Insert(ResourceType type, string? ns, JsonObject obj, WriteOptions options, List<ManagedEntry>? entries)
    {
        var meta = Json.Meta(obj);
        if (type.Namespaced)
        {
            var bodyNs = Json.Str(meta, "namespace");
            if (!string.IsNullOrEmpty(bodyNs) && bodyNs != ns)
            {
                throw ApiException.BadRequest("the namespace of the provided object does not match the namespace sent on the request");
            }

            meta["namespace"] = ns;
        }
        else
        {
            meta.Remove("namespace");
        }

        if (string.IsNullOrEmpty(Json.Str(meta, "name")) && Json.Str(meta, "generateName") is { Length: > 0 } prefix)
        {
            meta["name"] = prefix + RandomSuffix.Next(5);
        }

        var name = Json.Name(obj);
        if (name.Length == 0)
        {
            throw ApiException.Invalid(type, "", ("metadata.name", "FieldValueRequired", "Required value: name or generateName is required"));
        }

        if (type.Namespaced)
        {
            var owner = Store.Get(ResourceCatalog.Namespaces, null, ns!) ?? throw ApiException.NotFound(ResourceCatalog.Namespaces, ns!);
            if (owner["metadata"]?["deletionTimestamp"] is not null)
            {
                throw new ApiException(403, "Forbidden",
                    $"{type.GroupResource} \"{name}\" is forbidden: unable to create new content in namespace {ns} because it is being terminated",
                    ApiException.DetailsFor(type, name, new JsonArray(new JsonObject
                    {
                        ["reason"] = "NamespaceTerminating",
                        ["message"] = $"namespace {ns} is being terminated",
                        ["field"] = "metadata.namespace",
                    })));
            }
        }

        if (Store.Get(type, ns, name) is not null)
        {
            throw ApiException.AlreadyExists(type, name);
        }

        obj["apiVersion"] = type.ApiVersion;
        obj["kind"] = type.Kind;
        foreach (var field in new[] { "resourceVersion", "deletionTimestamp", "deletionGracePeriodSeconds", "managedFields", "selfLink" })
        {
            meta.Remove(field);
        }

        meta["uid"] = Guid.NewGuid().ToString();
        meta["creationTimestamp"] = Now;
        if (type.HasGeneration)
        {
            meta["generation"] = 1;
        }
        else
        {
            meta.Remove("generation");
        }

        if (type.HasStatus && !options.KeepStatus)
        {
            obj.Remove("status");
        }

        Admission.Default(type, obj, null, Network);
        Admission.Validate(type, obj, null);
        if (type == ResourceCatalog.Pods)
        {
            ResourcePolicyAdmission.Admit(Store, obj);
        }

        ManagedFields.Write(obj, entries ?? ManagedFields.TrackUpdate(null, obj, options.Manager, null, type), [], Now);
        if (options.DryRun)
        {
            return obj;
        }

        return Json.Clone(Store.Put(type, obj, null));
    }

    private JsonObject Commit(ResourceType type, JsonObject before, JsonObject after, WriteOptions options, List<ManagedEntry>? entries)
    {
        var meta = Json.Meta(after);
        var oldMeta = (JsonObject)before["metadata"]!;
        foreach (var field in new[] { "name", "namespace", "uid", "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds", "generation", "resourceVersion" })
        {
            if (oldMeta[field] is { } value)
            {
                meta[field] = value.DeepClone();
            }
            else
            {
                meta.Remove(field);
            }
        }

        after["apiVersion"] = type.ApiVersion;
        after["kind"] = type.Kind;
        if (options.Subresource == "status")
        {
            // The status subresource ignores everything but status (and vice versa below).
            var status = after["status"]?.DeepClone();
            after = Json.Clone(before);
            after["status"] = status;
            meta = Json.Meta(after);
        }
        else if (type.HasStatus)
        {
            after["status"] = before["status"]?.DeepClone();
        }

        Admission.Default(type, after, before, Network);
        Admission.Validate(type, after, before);
        var previousEntries = ManagedFields.Read(before);
        ManagedFields.Write(after, entries ?? ManagedFields.TrackUpdate(before, after, options.Manager, options.Subresource, type), previousEntries, Now);
        if (type.HasGeneration && !Json.Same(Spec(before), Spec(after)))
        {
            meta["generation"] = (Json.Long(oldMeta["generation"]) ?? 0) + 1;
        }

        if (Json.Same(before, after))
        {
            return Json.Clone(before);
        }

        var finalizers = meta["finalizers"] as JsonArray;
        if (meta["deletionTimestamp"] is not null && (finalizers is null || finalizers.Count == 0))
        {
            return options.DryRun ? after : Store.Remove(type, before);
        }

        return options.DryRun ? after : Json.Clone(Store.Put(type, after, before));
    }

    private static JsonObject Spec(JsonObject obj)
    {
        var copy = Json.Clone(obj);
        copy.Remove("metadata");
        copy.Remove("status");
        return copy;
    }
}
