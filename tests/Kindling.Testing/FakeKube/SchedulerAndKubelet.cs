using System.Collections.Concurrent;
using System.Text.Json.Nodes;

namespace Kindling.Testing.FakeKube;

/// <summary>
/// Stands in for kube-scheduler and the kubelet: a new pod is bound to the fake node and shows
/// ContainerCreating; with <see cref="PodControl.AutoReady"/> it then runs and becomes Ready. Pods a test marked
/// Unschedulable are left alone. Like the scheduler's VolumeBinding plugin, a pod whose claim does not exist or is
/// unbound without a <c>WaitForFirstConsumer</c> class is not scheduled (FailedScheduling) until the claim binds.
/// </summary>
internal sealed class SchedulerAndKubelet
{
    private readonly FakeKubeServer _server;

    // Pods this scheduler left Pending for their volumes, retried when a claim changes (the real scheduler requeues
    // unschedulable pods on PVC events).
    private readonly ConcurrentDictionary<(string Ns, string Name), bool> _waitingForVolumes = new();

    public SchedulerAndKubelet(FakeKubeServer server) => _server = server;

    /// <summary>
    /// Never bound and untouched: no node, no PodScheduled condition, no container statuses, still Pending. Pods created
    /// with an explicit status (Objects.Create keepStatus) are left as the test wrote them.
    /// </summary>
    private static bool Unscheduled(JsonObject pod) =>
        pod["spec"]?["nodeName"] is null
        && Conditions.Get(pod["status"], "PodScheduled") is null
        && pod["status"]?["containerStatuses"] is null
        && Json.Str(pod["status"], "phase") is null or "Pending";

    public void OnEvent(StoredEvent e)
    {
        if (e.Resource == ResourceCatalog.PersistentVolumeClaims && e.Type != "DELETED")
        {
            RetryWaiting(Json.Namespace(e.Object));
            return;
        }

        if (e.Resource != ResourceCatalog.Pods || e.Type != "ADDED" || !Unscheduled(e.Object))
        {
            return;
        }

        TrySchedule(Json.Namespace(e.Object), Json.Name(e.Object), retry: false);
    }

    private void RetryWaiting(string ns)
    {
        foreach (var key in _waitingForVolumes.Keys.Where(k => k.Ns == ns))
        {
            if (_server.Api.TryGet(ResourceCatalog.Pods, ns, key.Name) is null)
            {
                _waitingForVolumes.TryRemove(key, out _);
                continue;
            }

            TrySchedule(ns, key.Name, retry: true);
        }
    }

    private void TrySchedule(string ns, string name, bool retry)
    {
        var pod = _server.Api.TryGet(ResourceCatalog.Pods, ns, name);
        if (pod is null)
        {
            return;
        }

        if (VolumeProblem(pod) is { } problem)
        {
            if (!retry)
            {
                _waitingForVolumes[(ns, name)] = true;
                var message = $"0/1 nodes are available: {problem}. preemption: 0/1 nodes are available: 1 Preemption is not helpful for scheduling.";
                _server.Pods.Mutate(ns, name, p =>
                {
                    if (Unscheduled(p))
                    {
                        Conditions.Set(PodStatusWriter.Status(p), "PodScheduled", "False", "Unschedulable", message, _server.Api.Now);
                    }
                }, "kube-scheduler");
                _server.Events.Add(pod, "FailedScheduling", message, "Warning", "default-scheduler");
            }

            return;
        }

        _waitingForVolumes.TryRemove((ns, name), out _);
        var autoReady = _server.Pods.AutoReady;
        _server.Pods.Mutate(ns, name, p =>
        {
            // A test may have moved the pod already (Running, Unschedulable...) before this event was handled; a pod
            // this scheduler held back for its volumes carries only its own PodScheduled=False.
            if (retry ? p["spec"]?["nodeName"] is not null || Conditions.Get(p["status"], "PodScheduled") != "False" : !Unscheduled(p))
            {
                return;
            }

            PodStatusWriter.Schedule(p, _server.Options.NodeName, _server.Network.NextPodIp(), _server.Api.Now);
            if (autoReady)
            {
                foreach (var c in PodStatusWriter.Containers(p))
                {
                    PodStatusWriter.Running(p, Json.Str(c, "name")!, ready: true, _server.Api.Now);
                }

                PodStatusWriter.Refresh(p, _server.Api.Now);
            }
        }, "kube-scheduler");
    }

    /// <summary>Why the VolumeBinding plugin rejects every node for this pod, or null when its claims allow scheduling.</summary>
    private string? VolumeProblem(JsonObject pod)
    {
        var ns = Json.Namespace(pod);
        foreach (var claim in VolumeController.Claims(pod))
        {
            var pvc = _server.Api.TryGet(ResourceCatalog.PersistentVolumeClaims, ns, claim);
            if (pvc is null)
            {
                return $"persistentvolumeclaim \"{claim}\" not found";
            }

            if (Json.Str(pvc["status"], "phase") == "Bound")
            {
                continue;
            }

            var className = Json.Str(pvc["spec"], "storageClassName");
            var storageClass = string.IsNullOrEmpty(className) ? null : _server.Api.TryGet(ResourceCatalog.StorageClasses, null, className);
            if (Json.Str(storageClass, "volumeBindingMode") != "WaitForFirstConsumer")
            {
                return "pod has unbound immediate PersistentVolumeClaims";
            }
        }

        return null;
    }
}
