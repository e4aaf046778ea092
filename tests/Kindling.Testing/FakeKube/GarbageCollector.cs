using System.Text.Json.Nodes;

namespace Kindling.Testing.FakeKube;

/// <summary>
/// The garbage collector: when an owner is deleted, dependents whose owners are all gone are deleted
/// (background propagation, recursively through chains). A new object whose ownerReferences all name absent
/// owners (dangling references) is deleted too, as the real collector does after verifying the owners are gone. An owner being deleted in the foreground
/// (finalizer <c>foregroundDeletion</c>) has its dependents deleted first and disappears once none are left.
/// </summary>
internal sealed class GarbageCollector
{
    private readonly FakeKubeServer _server;

    public GarbageCollector(FakeKubeServer server) => _server = server;

    public void OnEvent(StoredEvent e)
    {
        var store = _server.Store;
        lock (store.Gate)
        {
            if (e.Type == "DELETED")
            {
                CollectOrphansOf(Json.Uid(e.Object)!);
                ReleaseForegroundOwners(e.Object);
            }
            else if (e.Type == "ADDED" && IsDangling(e.Object) && store.Get(e.Resource, Json.Namespace(e.Object), Json.Name(e.Object)) is { } added
                     && Json.Uid(added) == Json.Uid(e.Object))
            {
                // Every owner it names is absent: the real collector verifies that and deletes the dependent.
                _server.Api.DeleteLocked(e.Resource, added, "Background");
            }
            else if (IsForegroundDeleting(e.Object) && store.Get(e.Resource, Json.Namespace(e.Object), Json.Name(e.Object)) is { } current
                     && Json.Uid(current) == Json.Uid(e.Object))
            {
                var dependents = _server.Api.Dependents(Json.Uid(current)!).ToList();
                foreach (var (type, dependent) in dependents)
                {
                    _server.Api.DeleteLocked(type, dependent, "Foreground");
                }

                if (!_server.Api.Dependents(Json.Uid(current)!).Any() && store.Get(e.Resource, Json.Namespace(current), Json.Name(current)) is { } still)
                {
                    _server.Api.RemoveFinalizerLocked(e.Resource, still, ObjectApi.ForegroundFinalizer);
                }
            }
        }
    }

    private bool IsDangling(JsonObject obj) =>
        obj["metadata"]?["ownerReferences"] is JsonArray { Count: > 0 } refs
        && refs.OfType<JsonObject>().All(r => _server.Store.FindByUid(Json.Str(r, "uid") ?? "") is null);

    private void CollectOrphansOf(string uid)
    {
        foreach (var (type, dependent) in _server.Api.Dependents(uid).ToList())
        {
            var owners = ((JsonArray)dependent["metadata"]!["ownerReferences"]!).OfType<JsonObject>().Select(r => Json.Str(r, "uid")!).ToList();
            if (owners.All(o => _server.Store.FindByUid(o) is null))
            {
                _server.Api.DeleteLocked(type, dependent, "Background");
            }
        }
    }

    /// <summary>A dependent went away: owners waiting in the foreground may now be finished.</summary>
    private void ReleaseForegroundOwners(JsonObject deleted)
    {
        if (deleted["metadata"]?["ownerReferences"] is not JsonArray refs)
        {
            return;
        }

        foreach (var uid in refs.OfType<JsonObject>().Select(r => Json.Str(r, "uid")!))
        {
            var owner = _server.Store.Everything().FirstOrDefault(x => Json.Uid(x.Object) == uid);
            if (owner.Object is not null && IsForegroundDeleting(owner.Object) && !_server.Api.Dependents(uid).Any())
            {
                _server.Api.RemoveFinalizerLocked(owner.Type, owner.Object, ObjectApi.ForegroundFinalizer);
            }
        }
    }

    private static bool IsForegroundDeleting(JsonObject obj) =>
        obj["metadata"]?["deletionTimestamp"] is not null
        && obj["metadata"]?["finalizers"] is JsonArray f && f.Any(x => x?.GetValue<string>() == ObjectApi.ForegroundFinalizer);
}
