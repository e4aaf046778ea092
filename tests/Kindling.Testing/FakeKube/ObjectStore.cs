using System.Globalization;
using System.Text.Json.Nodes;

namespace Kindling.Testing.FakeKube;

/// <summary>
/// The raw in-memory "etcd": objects per resource keyed by namespace/name, one global resourceVersion counter
/// and the watch fan-out. Semantics (validation, apply, deletion rules) live in <see cref="ObjectApi"/>;
/// everything here runs under <see cref="Gate"/>.
/// </summary>
internal sealed class ObjectStore
{
    private readonly Dictionary<ResourceType, SortedDictionary<string, JsonObject>> _objects = new();

    // Indexes so the garbage collector's lookups stay O(1) with thousands of pods (tracker benchmarks).
    private readonly Dictionary<string, (ResourceType Type, JsonObject Object)> _byUid = new(StringComparer.Ordinal);
    private readonly Dictionary<string, HashSet<string>> _dependentUids = new(StringComparer.Ordinal);
    private long _resourceVersion = 1000;

    public ObjectStore()
    {
        foreach (var type in ResourceCatalog.Stored)
        {
            _objects[type] = new SortedDictionary<string, JsonObject>(StringComparer.Ordinal);
        }
    }

    public object Gate { get; } = new();

    public WatchHub Hub { get; } = new();

    public long ResourceVersion => _resourceVersion;

    public static string Key(string? ns, string name) => (ns ?? "") + "/" + name;

    public JsonObject? Get(ResourceType type, string? ns, string name) =>
        _objects.TryGetValue(type, out var map) && map.TryGetValue(Key(type.Namespaced ? ns : null, name), out var obj) ? obj : null;

    public IEnumerable<JsonObject> All(ResourceType type, string? ns = null) =>
        _objects.TryGetValue(type, out var map)
            ? ns is null ? map.Values : map.Values.Where(o => Json.Namespace(o) == ns)
            : [];

    public JsonObject? FindByUid(string uid) => _byUid.TryGetValue(uid, out var entry) ? entry.Object : null;

    public (ResourceType Type, JsonObject Object)? EntryByUid(string uid) => _byUid.TryGetValue(uid, out var entry) ? entry : null;

    /// <summary>Objects whose ownerReferences name <paramref name="ownerUid"/>.</summary>
    public IEnumerable<(ResourceType Type, JsonObject Object)> DependentsOf(string ownerUid) =>
        _dependentUids.TryGetValue(ownerUid, out var uids)
            ? uids.Select(u => _byUid[u]).ToList()
            : [];

    private void Index(JsonObject obj, ResourceType type, bool add)
    {
        var uid = Json.Uid(obj);
        if (uid is null)
        {
            return;
        }

        if (add)
        {
            _byUid[uid] = (type, obj);
        }
        else
        {
            _byUid.Remove(uid);
        }

        foreach (var owner in (obj["metadata"]?["ownerReferences"] as JsonArray ?? []).Select(r => Json.Str(r, "uid")).OfType<string>())
        {
            if (add)
            {
                if (!_dependentUids.TryGetValue(owner, out var set))
                {
                    set = new HashSet<string>(StringComparer.Ordinal);
                    _dependentUids[owner] = set;
                }

                set.Add(uid);
            }
            else if (_dependentUids.TryGetValue(owner, out var set))
            {
                set.Remove(uid);
                if (set.Count == 0)
                {
                    _dependentUids.Remove(owner);
                }
            }
        }
    }

    /// <summary>Stores a new version: stamps the next resourceVersion and tells watchers.</summary>
    public JsonObject Put(ResourceType type, JsonObject obj, JsonObject? previous)
    {
        var rv = ++_resourceVersion;
        Json.Meta(obj)["resourceVersion"] = rv.ToString(CultureInfo.InvariantCulture);
        if (previous is not null)
        {
            Index(previous, type, add: false);
        }

        _objects[type][Key(type.Namespaced ? Json.Namespace(obj) : null, Json.Name(obj))] = obj;
        Index(obj, type, add: true);
        Hub.Publish(new StoredEvent(previous is null ? "ADDED" : "MODIFIED", type, obj, previous, rv));
        return obj;
    }

    /// <summary>
    /// Forgets every object without any event, as an apiserver whose etcd was lost and rebuilt empty: clients
    /// learn it from 404s and from a 410 on any watch resumed from an earlier version.
    /// </summary>
    public void Wipe()
    {
        foreach (var objects in _objects.Values)
        {
            objects.Clear();
        }

        _byUid.Clear();
        _dependentUids.Clear();
        Hub.Expire(++_resourceVersion);
    }

    /// <summary>Removes an object; the DELETED event carries the object at a fresh resourceVersion, like etcd's delete revision.</summary>
    public JsonObject Remove(ResourceType type, JsonObject obj)
    {
        _objects[type].Remove(Key(type.Namespaced ? Json.Namespace(obj) : null, Json.Name(obj)));
        Index(obj, type, add: false);
        var rv = ++_resourceVersion;
        var gone = Json.Clone(obj);
        Json.Meta(gone)["resourceVersion"] = rv.ToString(CultureInfo.InvariantCulture);
        Hub.Publish(new StoredEvent("DELETED", type, gone, obj, rv));
        return gone;
    }
}
