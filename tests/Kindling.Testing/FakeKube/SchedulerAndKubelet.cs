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

    public void OnEvent(StoredEvent e)
    {
        if (e.Resource != ResourceCatalog.Pods || e.Type != "ADDED" || e.Object["spec"]?["nodeName"] is not null
            || Conditions.Get(e.Object["status"], "PodScheduled") is not null)
        {
            return;
        }

        var ns = Json.Namespace(e.Object);
        var name = Json.Name(e.Object);
        var autoReady = _server.Pods.AutoReady;
        _server.Pods.Mutate(ns, name, pod =>
        {
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
