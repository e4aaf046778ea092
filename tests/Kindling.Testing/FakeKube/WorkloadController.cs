using System.Text.Json.Nodes;

namespace Kindling.Testing.FakeKube;

/// <summary>
/// Deployment and ReplicaSet controllers, reduced to what readiness checks observe. A Deployment owns one
/// ReplicaSet per pod template (<c>&lt;deploy&gt;-&lt;hash&gt;</c>, label <c>pod-template-hash</c>); a template change
/// scales the old ones to 0 at once (Recreate-like rather than a surge/unavailable rolling update). ReplicaSets
/// create pods <c>&lt;rs&gt;-&lt;rand5&gt;</c>. Status (replicas, ready/available/updated, observedGeneration,
/// Available/Progressing conditions) follows the pods' Ready condition.
/// </summary>
internal sealed class WorkloadController
{
    private const string Manager = "kube-controller-manager";
    private readonly FakeKubeServer _server;

    public WorkloadController(FakeKubeServer server) => _server = server;

    public void OnEvent(StoredEvent e)
    {
        var ns = Json.Namespace(e.Object);
        if (e.Resource == ResourceCatalog.Deployments && e.Type != "DELETED")
        {
            ReconcileDeployment(ns, Json.Name(e.Object));
        }
        else if (e.Resource == ResourceCatalog.ReplicaSets)
        {
            if (e.Type != "DELETED")
            {
                ReconcileReplicaSet(ns, Json.Name(e.Object));
            }

            if (ControllerOf(e.Object, "Deployment") is { } deploy)
            {
                ReconcileDeployment(ns, deploy);
            }
        }
        else if (e.Resource == ResourceCatalog.Pods && ControllerOf(e.Object, "ReplicaSet") is { } rsName)
        {
            ReconcileReplicaSet(ns, rsName);
            if (_server.Api.TryGet(ResourceCatalog.ReplicaSets, ns, rsName) is { } rs && ControllerOf(rs, "Deployment") is { } deploy)
            {
                ReconcileDeployment(ns, deploy);
            }
        }
    }

    private static string? ControllerOf(JsonObject obj, string kind) =>
        (obj["metadata"]?["ownerReferences"] as JsonArray ?? [])
            .OfType<JsonObject>()
            .Where(r => Json.Str(r, "kind") == kind && Json.Bool(r["controller"]) == true)
            .Select(r => Json.Str(r, "name"))
            .FirstOrDefault();

    private static JsonObject OwnerRef(JsonObject owner) => new()
    {
        ["apiVersion"] = Json.Str(owner, "apiVersion"),
        ["kind"] = Json.Str(owner, "kind"),
        ["name"] = Json.Name(owner),
        ["uid"] = Json.Uid(owner),
        ["controller"] = true,
        ["blockOwnerDeletion"] = true,
    };

    private static bool Owns(JsonObject owner, JsonObject obj) =>
        (obj["metadata"]?["ownerReferences"] as JsonArray ?? []).OfType<JsonObject>().Any(r => Json.Str(r, "uid") == Json.Uid(owner) && Json.Bool(r["controller"]) == true);

    private static bool Deleting(JsonObject obj) => obj["metadata"]?["deletionTimestamp"] is not null;

    private static bool IsReady(JsonObject pod) => !Deleting(pod) && Conditions.Get(pod["status"], "Ready") == "True";

    private static bool IsActive(JsonObject pod) =>
        !Deleting(pod) && Json.Str(pod["status"], "phase") is not ("Succeeded" or "Failed");

    private void ReconcileDeployment(string ns, string name)
    {
        var deploy = _server.Api.TryGet(ResourceCatalog.Deployments, ns, name);
        if (deploy is null || Deleting(deploy) || deploy["spec"]?["template"] is not JsonObject template)
        {
            return;
        }

        var hash = RandomSuffix.Hash(template.ToJsonString());
        var rsName = $"{name}-{hash}";
        var replicas = Json.Long(deploy["spec"]?["replicas"]) ?? 1;
        var owned = _server.Api.List(ResourceCatalog.ReplicaSets, ns).Items.Where(rs => Owns(deploy, rs)).ToList();
        var current = owned.FirstOrDefault(rs => Json.Name(rs) == rsName);
        if (current is null)
        {
            var podTemplate = Json.Clone(template);
            var labels = Json.Meta(podTemplate)["labels"] as JsonObject ?? new JsonObject();
            labels["pod-template-hash"] = hash;
            Json.Meta(podTemplate)["labels"] = labels;
            var selector = (JsonObject)(deploy["spec"]?["selector"]?.DeepClone() ?? new JsonObject());
            var matchLabels = selector["matchLabels"] as JsonObject ?? new JsonObject();
            matchLabels["pod-template-hash"] = hash;
            selector["matchLabels"] = matchLabels;
            current = _server.Api.Create(ResourceCatalog.ReplicaSets, ns, new JsonObject
            {
                ["metadata"] = new JsonObject
                {
                    ["name"] = rsName,
                    ["labels"] = labels.DeepClone(),
                    ["annotations"] = new JsonObject { ["deployment.kubernetes.io/revision"] = (owned.Count + 1).ToString(System.Globalization.CultureInfo.InvariantCulture) },
                    ["ownerReferences"] = new JsonArray(OwnerRef(deploy)),
                },
                ["spec"] = new JsonObject { ["replicas"] = replicas, ["selector"] = selector, ["template"] = podTemplate },
            }, new WriteOptions(Manager));
        }
        else if (Json.Long(current["spec"]?["replicas"]) != replicas)
        {
            _server.Api.Modify(ResourceCatalog.ReplicaSets, ns, rsName, rs => rs["spec"]!["replicas"] = replicas, new WriteOptions(Manager));
        }

        foreach (var old in owned.Where(rs => Json.Name(rs) != rsName && Json.Long(rs["spec"]?["replicas"]) != 0))
        {
            _server.Api.Modify(ResourceCatalog.ReplicaSets, ns, Json.Name(old), rs => rs["spec"]!["replicas"] = 0, new WriteOptions(Manager));
        }

        var pods = _server.Api.List(ResourceCatalog.Pods, ns).Items.Where(IsActive).ToList();
        var allPods = pods.Where(p => owned.Append(current).Any(rs => Owns(rs, p))).ToList();
        var updated = pods.Where(p => Owns(current, p)).ToList();
        var ready = allPods.Count(IsReady);
        var now = _server.Api.Now;
        _server.Api.Modify(ResourceCatalog.Deployments, ns, name, d =>
        {
            var status = d["status"] as JsonObject ?? new JsonObject();
            status["observedGeneration"] = Json.Long(d["metadata"]?["generation"]) ?? 1;
            status["replicas"] = allPods.Count;
            status["updatedReplicas"] = updated.Count;
            status["readyReplicas"] = ready;
            status["availableReplicas"] = ready;
            status["unavailableReplicas"] = Math.Max(0, allPods.Count - ready);
            foreach (var zero in new[] { "replicas", "updatedReplicas", "readyReplicas", "availableReplicas", "unavailableReplicas" })
            {
                if (Json.Long(status[zero]) == 0)
                {
                    status.Remove(zero);
                }
            }

            var available = ready >= replicas;
            Conditions.Set(status, "Available", available ? "True" : "False",
                available ? "MinimumReplicasAvailable" : "MinimumReplicasUnavailable",
                available ? "Deployment has minimum availability." : "Deployment does not have minimum availability.", now, withUpdateTime: true);
            var complete = updated.Count(IsReady) >= replicas && allPods.Count == updated.Count;
            Conditions.Set(status, "Progressing", "True",
                complete ? "NewReplicaSetAvailable" : "ReplicaSetUpdated",
                complete ? $"ReplicaSet \"{rsName}\" has successfully progressed." : $"ReplicaSet \"{rsName}\" is progressing.", now, withUpdateTime: true);
            d["status"] = status;
        }, new WriteOptions(Manager, Subresource: "status"));
    }

    private void ReconcileReplicaSet(string ns, string name)
    {
        var rs = _server.Api.TryGet(ResourceCatalog.ReplicaSets, ns, name);
        if (rs is null || Deleting(rs))
        {
            return;
        }

        var desired = Json.Long(rs["spec"]?["replicas"]) ?? 1;
        var pods = _server.Api.List(ResourceCatalog.Pods, ns).Items.Where(p => Owns(rs, p) && IsActive(p)).ToList();
        string? failure = null;
        for (var i = pods.Count; i < desired; i++)
        {
            var template = (JsonObject)(rs["spec"]?["template"]?.DeepClone() ?? new JsonObject());
            var meta = Json.Meta(template);
            meta["name"] = $"{name}-{RandomSuffix.Next(5)}";
            meta["ownerReferences"] = new JsonArray(OwnerRef(rs));
            template["apiVersion"] = "v1";
            template["kind"] = "Pod";
            try
            {
                _server.Api.Create(ResourceCatalog.Pods, ns, template, new WriteOptions(Manager));
            }
            catch (ApiException e) when (e.Code == 403)
            {
                // The ReplicaSet controller reports a rejected pod (e.g. by PodSecurity) as a ReplicaFailure condition
                // and keeps retrying; no pod appears.
                failure = e.Message;
                break;
            }
        }

        foreach (var extra in pods.OrderByDescending(p => Json.Str(p["metadata"], "creationTimestamp"), StringComparer.Ordinal).Take(Math.Max(0, pods.Count - (int)desired)))
        {
            _server.Api.Delete(ResourceCatalog.Pods, ns, Json.Name(extra), new DeleteOptions());
        }

        var current = _server.Api.List(ResourceCatalog.Pods, ns).Items.Where(p => Owns(rs, p) && IsActive(p)).ToList();
        _server.Api.Modify(ResourceCatalog.ReplicaSets, ns, name, r =>
        {
            var status = new JsonObject { ["replicas"] = current.Count };
            if (failure is not null)
            {
                status["conditions"] = new JsonArray(new JsonObject
                {
                    ["type"] = "ReplicaFailure",
                    ["status"] = "True",
                    ["reason"] = "FailedCreate",
                    ["message"] = failure,
                });
            }
            var ready = current.Count(IsReady);
            if (current.Count > 0)
            {
                status["fullyLabeledReplicas"] = current.Count;
            }

            if (ready > 0)
            {
                status["readyReplicas"] = ready;
                status["availableReplicas"] = ready;
            }

            status["observedGeneration"] = Json.Long(r["metadata"]?["generation"]) ?? 1;
            r["status"] = status;
        }, new WriteOptions(Manager, Subresource: "status"));
    }
}
