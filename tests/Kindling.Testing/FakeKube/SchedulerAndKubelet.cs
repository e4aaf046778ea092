namespace Kindling.Testing.FakeKube;

/// <summary>
/// Stands in for kube-scheduler and the kubelet: a new pod is bound to the fake node and shows
/// ContainerCreating; with <see cref="PodControl.AutoReady"/> it then runs and becomes Ready. Pods a test marked
/// Unschedulable are left alone.
/// </summary>
internal sealed class SchedulerAndKubelet
{
    private readonly FakeKubeServer _server;

    public SchedulerAndKubelet(FakeKubeServer server) => _server = server;

    /// <summary>
    /// Never bound and untouched: no node, no PodScheduled condition, no container statuses, still Pending. Pods created
    /// with an explicit status (Objects.Create keepStatus) are left as the test wrote them.
    /// </summary>
    private static bool Unscheduled(System.Text.Json.Nodes.JsonObject pod) =>
        pod["spec"]?["nodeName"] is null
        && Conditions.Get(pod["status"], "PodScheduled") is null
        && pod["status"]?["containerStatuses"] is null
        && Json.Str(pod["status"], "phase") is null or "Pending";

    public void OnEvent(StoredEvent e)
    {
        if (e.Resource != ResourceCatalog.Pods || e.Type != "ADDED" || !Unscheduled(e.Object))
        {
            return;
        }

        var ns = Json.Namespace(e.Object);
        var name = Json.Name(e.Object);
        var autoReady = _server.Pods.AutoReady;
        _server.Pods.Mutate(ns, name, pod =>
        {
            // A test may have moved the pod already (Running, Unschedulable...) before this event was handled.
            if (!Unscheduled(pod))
            {
                return;
            }

            PodStatusWriter.Schedule(pod, _server.Options.NodeName, _server.Network.NextPodIp(), _server.Api.Now);
            if (autoReady)
            {
                foreach (var c in PodStatusWriter.Containers(pod))
                {
                    PodStatusWriter.Running(pod, Json.Str(c, "name")!, ready: true, _server.Api.Now);
                }

                PodStatusWriter.Refresh(pod, _server.Api.Now);
            }
        }, "kube-scheduler");
    }
}
