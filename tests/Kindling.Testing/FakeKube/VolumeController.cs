using System.Text.Json.Nodes;

namespace Kindling.Testing.FakeKube;

/// <summary>
/// Stands in for the PV controller and the CSI external provisioners, deciding from the claim's StorageClass as a
/// real cluster does (pkg/controller/volume/persistentvolume/pv_controller.go, external-provisioner):
/// <list type="bullet">
/// <item>no class (none set and no default class existed when the claim was created): never provisioned; Pending
/// forever with the Normal <c>FailedBinding</c> event "no persistent volumes available for this claim and no storage
/// class is set", until a default class appears and the class is assigned retroactively (Kubernetes 1.28+);</item>
/// <item>a class that does not exist: Pending with a Warning <c>ProvisioningFailed</c> event;</item>
/// <item>a class whose provisioner is not running (<see cref="ControllerHost.StoppedProvisioners"/>): Pending with
/// the Normal <c>ExternalProvisioning</c> event;</item>
/// <item><c>Immediate</c>: provisioned and bound at once; <c>WaitForFirstConsumer</c>: Pending with the
/// <c>WaitForFirstConsumer</c> event until a pod that mounts it is scheduled, then bound.</item>
/// </list>
/// </summary>
internal sealed class VolumeController
{
    private const string Controller = "persistentvolume-controller";
    private const string NoClassMessage = "no persistent volumes available for this claim and no storage class is set";

    private readonly FakeKubeServer _server;
    private readonly ControllerHost _host;

    public VolumeController(FakeKubeServer server, ControllerHost host)
    {
        _server = server;
        _host = host;
    }

    public void OnEvent(StoredEvent e)
    {
        if (e.Resource == ResourceCatalog.PersistentVolumeClaims && e.Type == "ADDED")
        {
            Provision(e.Object);
        }
        else if (e.Resource == ResourceCatalog.StorageClasses && e.Type is "ADDED" or "MODIFIED")
        {
            OnStorageClass(e.Object);
        }
        else if (e.Resource == ResourceCatalog.Pods && e.Type != "DELETED" && e.Object["spec"]?["nodeName"] is not null)
        {
            var ns = Json.Namespace(e.Object);
            foreach (var claim in Claims(e.Object))
            {
                if (_server.Api.TryGet(ResourceCatalog.PersistentVolumeClaims, ns, claim) is { } pvc && Pending(pvc)
                    && ClassOf(pvc) is { } storageClass && Mode(storageClass) == "WaitForFirstConsumer" && ProvisionerRuns(storageClass))
                {
                    Bind(ns, claim);
                }
            }
        }
    }

    /// <summary>What the controllers do with a claim that is not bound yet.</summary>
    private void Provision(JsonObject pvc)
    {
        if (!Pending(pvc))
        {
            return;
        }

        var ns = Json.Namespace(pvc);
        var name = Json.Name(pvc);
        var className = Json.Str(pvc["spec"], "storageClassName");
        if (string.IsNullOrEmpty(className))
        {
            _server.Events.Add(pvc, "FailedBinding", NoClassMessage, "Normal", Controller);
            return;
        }

        var storageClass = _server.Api.TryGet(ResourceCatalog.StorageClasses, null, className);
        if (storageClass is null)
        {
            _server.Events.Add(pvc, "ProvisioningFailed", $"storageclass.storage.k8s.io \"{className}\" not found", "Warning", Controller);
            return;
        }

        if (!ProvisionerRuns(storageClass))
        {
            var provisioner = Json.Str(storageClass, "provisioner");
            _server.Events.Add(pvc, "ExternalProvisioning",
                $"Waiting for a volume to be created either by the external provisioner '{provisioner}' or manually by the system administrator. If volume creation is delayed, please verify that the provisioner is running and correctly registered.",
                "Normal", Controller);
            return;
        }

        if (Mode(storageClass) == "WaitForFirstConsumer" && !HasScheduledConsumer(ns, name))
        {
            _server.Events.Add(pvc, "WaitForFirstConsumer", "waiting for first consumer to be created before binding", "Normal", Controller);
            return;
        }

        Bind(ns, name);
    }

    /// <summary>
    /// A new or changed class: claims waiting for it are provisioned now, and when it is a default class, claims
    /// created without any class get it (retroactive default StorageClass assignment, GA in Kubernetes 1.28).
    /// </summary>
    private void OnStorageClass(JsonObject storageClass)
    {
        var name = Json.Name(storageClass);
        var isDefault = StorageClassAdmission.IsDefault(storageClass);
        foreach (var pvc in _server.Api.List(ResourceCatalog.PersistentVolumeClaims, null).Items.Where(Pending))
        {
            var spec = pvc["spec"] as JsonObject;
            if (isDefault && spec is not null && !spec.ContainsKey("storageClassName"))
            {
                var assigned = _server.Api.Modify(ResourceCatalog.PersistentVolumeClaims, Json.Namespace(pvc), Json.Name(pvc),
                    p => ((JsonObject)p["spec"]!)["storageClassName"] = name, new WriteOptions("kube-controller-manager"));
                Provision(assigned);
            }
            else if (Json.Str(spec, "storageClassName") == name)
            {
                Provision(pvc);
            }
        }
    }

    private JsonObject? ClassOf(JsonObject pvc) =>
        Json.Str(pvc["spec"], "storageClassName") is { Length: > 0 } name ? _server.Api.TryGet(ResourceCatalog.StorageClasses, null, name) : null;

    private bool ProvisionerRuns(JsonObject storageClass) =>
        Json.Str(storageClass, "provisioner") is not { } provisioner || !_host.StoppedProvisioners.Contains(provisioner);

    // volumeBindingMode defaults to Immediate (the apiserver's StorageClass defaulting).
    private static string Mode(JsonObject storageClass) => Json.Str(storageClass, "volumeBindingMode") ?? "Immediate";

    private static bool Pending(JsonObject pvc) =>
        Json.Str(pvc["status"], "phase") is null or "Pending" && Json.Meta(pvc)["deletionTimestamp"] is null;

    private bool HasScheduledConsumer(string ns, string claim) =>
        _server.Api.List(ResourceCatalog.Pods, ns).Items.Any(p => p["spec"]?["nodeName"] is not null && Claims(p).Contains(claim));

    internal static IEnumerable<string> Claims(JsonObject pod) =>
        (pod["spec"]?["volumes"] as JsonArray ?? []).Select(v => Json.Str(v?["persistentVolumeClaim"], "claimName")).OfType<string>();

    internal void Bind(string ns, string name)
    {
        const string manager = "kube-controller-manager";
        var pvc = _server.Api.TryGet(ResourceCatalog.PersistentVolumeClaims, ns, name);
        if (pvc is null || !Pending(pvc))
        {
            return;
        }

        var volume = "pvc-" + Json.Uid(pvc);
        _server.Api.Modify(ResourceCatalog.PersistentVolumeClaims, ns, name, p =>
        {
            var spec = p["spec"] as JsonObject ?? new JsonObject();
            spec["volumeName"] = volume;
            p["spec"] = spec;
            var annotations = Json.Meta(p)["annotations"] as JsonObject ?? new JsonObject();
            annotations["pv.kubernetes.io/bind-completed"] = "yes";
            annotations["pv.kubernetes.io/bound-by-controller"] = "yes";
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
