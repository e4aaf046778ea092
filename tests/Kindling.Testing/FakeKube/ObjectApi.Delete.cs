using System.Text.Json.Nodes;

namespace Kindling.Testing.FakeKube;

/// <summary>Deletion: preconditions, finalizers, namespaces, and the three propagation policies.</summary>
internal sealed partial class ObjectApi
{
    public const string ForegroundFinalizer = "foregroundDeletion";
    public const string OrphanFinalizer = "orphan";

    /// <summary>Returns the response body and status code the apiserver would send.</summary>
    public (JsonObject Body, int Code) Delete(ResourceType type, string? ns, string name, DeleteOptions options)
    {
        lock (Store.Gate)
        {
            var before = Store.Get(type, ns, name) ?? throw ApiException.NotFound(type, name);
            if (options.PreconditionUid is { Length: > 0 } uid && uid != Json.Uid(before))
            {
                throw new ApiException(409, "Conflict",
                    $"Operation cannot be fulfilled on {type.GroupResource} \"{name}\": Precondition failed: UID in precondition: {uid}, UID in object meta: {Json.Uid(before)}",
                    ApiException.DetailsFor(type, name));
            }

            if (options.PreconditionResourceVersion is { Length: > 0 } rv && rv != Json.Str(before["metadata"], "resourceVersion"))
            {
                throw new ApiException(409, "Conflict",
                    $"Operation cannot be fulfilled on {type.GroupResource} \"{name}\": Precondition failed: ResourceVersion in precondition: {rv}, ResourceVersion in object meta: {Json.Str(before["metadata"], "resourceVersion")}",
                    ApiException.DetailsFor(type, name));
            }

            if (options.DryRun)
            {
                return (Json.Clone(before), 200);
            }

            if (type == ResourceCatalog.Pods && options.GracePeriodSeconds == 0 && before["metadata"]?["deletionTimestamp"] is not null)
            {
                // Force deletion (grace period 0) of a pod that is already terminating.
                return (Store.Remove(type, before), 200);
            }

            return DeleteLocked(type, before, options.Propagation, options.GracePeriodSeconds);
        }
    }

    /// <summary>deletecollection: deletes each match with the same rules and returns the list of what was deleted.</summary>
    public JsonObject DeleteCollection(ResourceType type, string? ns, LabelSelector labels, FieldSelector fields, DeleteOptions options)
    {
        lock (Store.Gate)
        {
            var items = new JsonArray();
            foreach (var obj in Store.All(type, ns).Where(o => labels.Matches(Json.Labels(o)) && fields.Matches(o)).ToList())
            {
                if (!options.DryRun)
                {
                    DeleteLocked(type, obj, options.Propagation);
                }

                items.Add(Json.Clone(obj));
            }

            return new JsonObject
            {
                ["kind"] = type.ListKind,
                ["apiVersion"] = type.ApiVersion,
                ["metadata"] = new JsonObject { ["resourceVersion"] = Store.ResourceVersion.ToString(System.Globalization.CultureInfo.InvariantCulture) },
                ["items"] = items,
            };
        }
    }

    /// <summary>Deletes under the lock. Used by the garbage collector and namespace controller too.</summary>
    internal (JsonObject Body, int Code) DeleteLocked(ResourceType type, JsonObject before, string? propagation, long? gracePeriodSeconds = null)
    {
        var meta = (JsonObject)before["metadata"]!;
        if (meta["deletionTimestamp"] is not null)
        {
            return (Json.Clone(before), 202);
        }

        var finalizers = (meta["finalizers"] as JsonArray)?.Select(f => f?.GetValue<string>() ?? "").ToList() ?? [];
        if (type == ResourceCatalog.Namespaces)
        {
            // The namespace controller empties the namespace and then removes it (see NamespaceController).
            return (MarkDeleting(type, before, finalizers, status => status["phase"] = "Terminating"), 200);
        }

        var uid = Json.Uid(before)!;
        var hasDependents = Dependents(uid).Any();
        if (propagation == "Orphan")
        {
            foreach (var (depType, dependent) in Dependents(uid).ToList())
            {
                var copy = Json.Clone(dependent);
                var refs = (JsonArray)copy["metadata"]!["ownerReferences"]!;
                foreach (var r in refs.OfType<JsonObject>().Where(r => Json.Str(r, "uid") == uid).ToList())
                {
                    refs.Remove(r);
                }

                if (refs.Count == 0)
                {
                    ((JsonObject)copy["metadata"]!).Remove("ownerReferences");
                }

                Store.Put(depType, copy, dependent);
            }
        }
        else if (propagation == "Foreground" && hasDependents)
        {
            finalizers.Add(ForegroundFinalizer);
        }

        if (finalizers.Count > 0)
        {
            return (MarkDeleting(type, before, finalizers, null), 200);
        }

        // A pod on a node terminates gracefully: the kubelet stops it, then the object goes (deletionTimestamp meanwhile).
        var grace = gracePeriodSeconds is { } g ? TimeSpan.FromSeconds(g) : PodTerminationGracePeriod;
        if (type == ResourceCatalog.Pods && grace > TimeSpan.Zero && before["spec"]?["nodeName"] is not null && GracefulPodDeletion is { } schedule
            && Json.Str(before["status"], "phase") is not ("Succeeded" or "Failed"))
        {
            var terminating = MarkDeleting(type, before, finalizers, null);
            Json.Meta(terminating)["deletionGracePeriodSeconds"] = (long)grace.TotalSeconds;
            schedule(terminating, grace);
            return (terminating, 200);
        }

        var gone = Store.Remove(type, before);
        return type.ReturnsObjectOnDelete ? (gone, 200) : (Status.Success(type, Json.Name(before), uid), 200);
    }

    private JsonObject MarkDeleting(ResourceType type, JsonObject before, List<string> finalizers, Action<JsonObject>? status)
    {
        var after = Json.Clone(before);
        var meta = Json.Meta(after);
        meta["deletionTimestamp"] = Now;
        meta["deletionGracePeriodSeconds"] = 0;
        if (finalizers.Count > 0)
        {
            meta["finalizers"] = new JsonArray(finalizers.Select(f => (JsonNode)JsonValue.Create(f)).ToArray());
        }

        if (status is not null && after["status"] is JsonObject s)
        {
            status(s);
        }

        return Json.Clone(Store.Put(type, after, before));
    }

    /// <summary>Objects whose ownerReferences name <paramref name="ownerUid"/>.</summary>
    internal IEnumerable<(ResourceType Type, JsonObject Object)> Dependents(string ownerUid) =>
        Store.Everything().Where(e => e.Object["metadata"]?["ownerReferences"] is JsonArray refs
                                      && refs.OfType<JsonObject>().Any(r => Json.Str(r, "uid") == ownerUid));

    /// <summary>Removes one finalizer; the object goes away once none are left.</summary>
    internal void RemoveFinalizerLocked(ResourceType type, JsonObject obj, string finalizer)
    {
        var after = Json.Clone(obj);
        var meta = Json.Meta(after);
        if (meta["finalizers"] is JsonArray list)
        {
            foreach (var f in list.Where(f => f?.GetValue<string>() == finalizer).ToList())
            {
                list.Remove(f);
            }

            if (list.Count == 0)
            {
                meta.Remove("finalizers");
                Store.Remove(type, obj);
                return;
            }
        }

        Store.Put(type, after, obj);
    }
}
