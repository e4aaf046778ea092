using System.Text.Json.Nodes;

namespace Kindling.Testing.FakeKube;

/// <summary>
/// Namespace lifecycle: a new namespace gets its <c>default</c> ServiceAccount; a deleted one stays Terminating
/// for <see cref="ControllerHost.NamespaceFinalizeDelay"/>, then everything in it is removed, then the namespace.
/// </summary>
internal sealed class NamespaceController
{
    private readonly FakeKubeServer _server;
    private readonly ControllerHost _host;

    public NamespaceController(FakeKubeServer server, ControllerHost host)
    {
        _server = server;
        _host = host;
    }

    public void OnEvent(StoredEvent e)
    {
        if (e.Resource != ResourceCatalog.Namespaces)
        {
            return;
        }

        var name = Json.Name(e.Object);
        if (e.Type == "ADDED")
        {
            if (_server.Api.TryGet(ResourceCatalog.ServiceAccounts, name, "default") is null)
            {
                _server.Api.Create(ResourceCatalog.ServiceAccounts, name,
                    new JsonObject { ["metadata"] = new JsonObject { ["name"] = "default" } }, new WriteOptions("kube-controller-manager"));
            }
        }
        else if (e.Type == "MODIFIED" && e.Object["metadata"]?["deletionTimestamp"] is not null && e.Previous?["metadata"]?["deletionTimestamp"] is null)
        {
            var uid = Json.Uid(e.Object);
            _host.Later(_host.NamespaceFinalizeDelay, () => Finalize(name, uid));
        }
    }

    /// <summary>Finalizes every Terminating namespace now.</summary>
    public void FinalizeAll()
    {
        foreach (var ns in _server.Api.List(ResourceCatalog.Namespaces, null).Items.Where(n => n["metadata"]?["deletionTimestamp"] is not null))
        {
            Finalize(Json.Name(ns), Json.Uid(ns));
        }
    }

    private void Finalize(string name, string? uid)
    {
        var store = _server.Store;
        lock (store.Gate)
        {
            var ns = store.Get(ResourceCatalog.Namespaces, null, name);
            if (ns is null || Json.Uid(ns) != uid)
            {
                return;
            }

            foreach (var type in ResourceCatalog.Stored.Where(t => t.Namespaced))
            {
                foreach (var obj in store.All(type, name).ToList())
                {
                    store.Remove(type, obj);
                }
            }

            store.Remove(ResourceCatalog.Namespaces, ns);
        }
    }
}
