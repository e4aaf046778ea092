using System.Text.Json.Nodes;

namespace Kindling.Testing.FakeKube;

/// <summary>
/// Binds PVCs to a made-up PersistentVolume (<c>pvc-&lt;uid&gt;</c>): immediately, or with WaitForFirstConsumer
/// once a scheduled pod mounts the claim (until then the claim stays Pending with a WaitForFirstConsumer event),
/// or never.
/// </summary>
internal sealed class VolumeController
{
    private readonly FakeKubeServer _server;
    private readonly ControllerHost _host;

    public VolumeController(FakeKubeServer server, ControllerHost host)
    {
        _server = server;
        _host = host;
    }

    public void OnEvent(StoredEvent e)
    {
        var ns = Json.Namespace(e.Object);
        if (e.Resource == ResourceCatalog.PersistentVolumeClaims && e.Type == "ADDED")
        {
            var name = Json.Name(e.Object);
            switch (_host.VolumeBinding)
            {
                case VolumeBindingMode.Immediate:
                    Bind(ns, name);
                    break;
                case VolumeBindingMode.WaitForFirstConsumer when !HasScheduledConsumer(ns, name):
                    _server.Events.Add(e.Object, "WaitForFirstConsumer", "waiting for first consumer to be created before binding", "Normal", "persistentvolume-controller");
                    break;
                case VolumeBindingMode.WaitForFirstConsumer:
                    Bind(ns, name);
                    break;
            }
        }
        else if (e.Resource == ResourceCatalog.Pods && _host.VolumeBinding == VolumeBindingMode.WaitForFirstConsumer && e.Object["spec"]?["nodeName"] is not null)
        {
            foreach (var claim in Claims(e.Object))
            {
                if (_server.Api.TryGet(ResourceCatalog.PersistentVolumeClaims, ns, claim) is { } pvc && Json.Str(pvc["status"], "phase") == "Pending")
                {
                    Bind(ns, claim);
                }
            }
        }
    }

    private bool HasScheduledConsumer(string ns, string claim) =>
        _server.Api.List(ResourceCatalog.Pods, ns).Items.Any(p => p["spec"]?["nodeName"] is not null && Claims(p).Contains(claim));

    private static IEnumerable<string> Claims(JsonObject pod) =>
        (pod["spec"]?["volumes"] as JsonArray ?? []).Select(v => Json.Str(v?["persistentVolumeClaim"], "claimName")).OfType<string>();

    internal void Bind(string ns, string name)
    {
        const string manager = "kube-controller-manager";
        var pvc = _server.Api.TryGet(ResourceCatalog.PersistentVolumeClaims, ns, name);
        if (pvc is null)
        {
            return;
        }

        var volume = "pvc-" + Json.Uid(pvc);
        _server.Api.Modify(ResourceCatalog.PersistentVolumeClaims, ns, name, p =>
        {
            var spec = p["spec"] as JsonObject ?? new JsonObject();
            spec["volumeName"] = volume;
            spec["storageClassName"] ??= "standard";
            p["spec"] = spec;
            var annotations = Json.Meta(p)["annotations"] as JsonObject ?? new JsonObject();
            annotations["pv.kubernetes.io/bind-completed"] = "yes";
            Json.Meta(p)["annotations"] = annotations;
        }, new WriteOptions(manager));
        _server.Api.Modify(ResourceCatalog.PersistentVolumeClaims, ns, name, p =>
        {
            p["status"] = new JsonObject
            {
                ["phase"] = "Bound",
                ["accessModes"] = p["spec"]?["accessModes"]?.DeepClone() ?? new JsonArray("ReadWriteOnce"),
                ["capacity"] = new JsonObject { ["storage"] = p["spec"]?["resources"]?["requests"]?["storage"]?.DeepClone() ?? "1Gi" },
            };
        }, new WriteOptions(manager, Subresource: "status"));
    }
}
