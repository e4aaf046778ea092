using System.Reflection;
using System.Text.Json.Nodes;
using k8s;
using k8s.Models;

namespace Kindling.Testing.FakeKube;

/// <summary>
/// Direct, in-process access to stored objects for tests: create objects the product would not create itself
/// (executor pods owned by a driver pod), inspect what the product wrote, wait for controllers. Writes go through
/// the same semantics as HTTP requests (validation, resourceVersion, watch events, managed fields).
/// </summary>
public sealed class ObjectControl
{
    private readonly FakeKubeServer _server;

    internal ObjectControl(FakeKubeServer server) => _server = server;

    /// <summary>Creates <paramref name="obj"/>; <paramref name="keepStatus"/> stores the given status too (e.g. a Running executor pod).</summary>
    public T Create<T>(T obj, string? ns = null, bool keepStatus = false, string manager = "fake-test")
        where T : IKubernetesObject<V1ObjectMeta>
    {
        var type = TypeOf<T>();
        var created = _server.Api.Create(type, type.Namespaced ? ns ?? obj.Metadata?.NamespaceProperty ?? "default" : null, ToJson(obj, type),
            new WriteOptions(manager, KeepStatus: keepStatus));
        return FromJson<T>(created);
    }

    public T? Get<T>(string? ns, string name)
        where T : IKubernetesObject<V1ObjectMeta> =>
        _server.Api.TryGet(TypeOf<T>(), ns, name) is { } obj ? FromJson<T>(obj) : default;

    public bool Exists<T>(string? ns, string name)
        where T : IKubernetesObject<V1ObjectMeta> =>
        _server.Api.TryGet(TypeOf<T>(), ns, name) is not null;

    /// <summary>Objects of kind T, in <paramref name="ns"/> (null: everywhere), optionally filtered by a label selector string.</summary>
    public IReadOnlyList<T> List<T>(string? ns = null, string? labelSelector = null)
        where T : IKubernetesObject<V1ObjectMeta> =>
        _server.Api.List(TypeOf<T>(), ns, LabelSelector.Parse(labelSelector)).Items.Select(FromJson<T>).ToList();

    /// <summary>Read-modify-write of the main resource (spec, metadata) as field manager <paramref name="manager"/>.</summary>
    public T Update<T>(string? ns, string name, Action<T> change, string manager = "fake-test")
        where T : IKubernetesObject<V1ObjectMeta>
    {
        var type = TypeOf<T>();
        var updated = _server.Api.Modify(type, ns, name, json =>
        {
            var typed = FromJson<T>(json);
            change(typed);
            var back = ToJson(typed, type);
            foreach (var key in json.Select(p => p.Key).ToList())
            {
                json.Remove(key);
            }

            foreach (var (k, v) in back.ToList())
            {
                back.Remove(k);
                json[k] = v;
            }
        }, new WriteOptions(manager));
        return FromJson<T>(updated);
    }

    /// <summary>Deletes like a client would (propagation: Background, Foreground or Orphan).</summary>
    public void Delete<T>(string? ns, string name, string? propagation = null)
        where T : IKubernetesObject<V1ObjectMeta> =>
        _server.Api.Delete(TypeOf<T>(), ns, name, new DeleteOptions(propagation));

    /// <summary>The stored JSON (what a GET returns), for asserting on fields the typed model drops.</summary>
    public JsonObject? GetJson(string apiVersion, string kind, string? ns, string name) =>
        _server.Api.TryGet(ResourceCatalog.ForKind(apiVersion, kind) ?? throw new ArgumentException($"unknown kind {apiVersion}/{kind}"), ns, name);

    /// <summary>Waits until <paramref name="condition"/> holds for some object of kind T in <paramref name="ns"/>; returns it.</summary>
    public async Task<T> WaitForAsync<T>(string? ns, Func<T, bool> condition, TimeSpan? timeout = null, CancellationToken cancellationToken = default)
        where T : IKubernetesObject<V1ObjectMeta>
    {
        var type = TypeOf<T>();
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout ?? TimeSpan.FromSeconds(10));
        Subscription subscription;
        lock (_server.Store.Gate)
        {
            subscription = _server.Store.Hub.Subscribe(null, null, out _);
        }

        using (subscription)
        {
            while (true)
            {
                // Drain before looking, so a change that lands after the look still wakes the wait below.
                while (subscription.Channel.Reader.TryRead(out _))
                {
                }

                var match = List<T>(ns).FirstOrDefault(condition);
                if (match is not null)
                {
                    return match;
                }

                try
                {
                    await subscription.Channel.Reader.WaitToReadAsync(deadline.Token);
                }
                catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
                {
                    throw new TimeoutException($"no {type.Kind} in {ns ?? "any namespace"} matched the condition in time");
                }
            }
        }
    }

    internal static ResourceType TypeOf<T>()
    {
        var entity = typeof(T).GetCustomAttribute<KubernetesEntityAttribute>()
            ?? throw new ArgumentException($"{typeof(T).Name} is not a Kubernetes entity");
        var apiVersion = string.IsNullOrEmpty(entity.Group) ? entity.ApiVersion : $"{entity.Group}/{entity.ApiVersion}";
        return ResourceCatalog.ForKind(apiVersion, entity.Kind) ?? throw new ArgumentException($"the fake does not serve {apiVersion}/{entity.Kind}");
    }

    internal static JsonObject ToJson<T>(T obj, ResourceType type)
    {
        var json = (JsonObject)JsonNode.Parse(KubernetesJson.Serialize(obj))!;
        json["apiVersion"] = type.ApiVersion;
        json["kind"] = type.Kind;
        return json;
    }

    internal static T FromJson<T>(JsonObject json) => KubernetesJson.Deserialize<T>(json.ToJsonString());
}
