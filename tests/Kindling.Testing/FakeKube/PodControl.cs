using System.Text.Json.Nodes;
using k8s;
using k8s.Models;

namespace Kindling.Testing.FakeKube;

/// <summary>
/// Test control over pods, acting as the kubelet would (status writes through the status subresource, so
/// watchers see MODIFIED events). Every method takes the pod's namespace and name; container defaults to the
/// pod's only (or first) container.
/// </summary>
public sealed class PodControl
{
    private const string Kubelet = "kubelet";
    private readonly FakeKubeServer _server;

    internal PodControl(FakeKubeServer server) => _server = server;

    /// <summary>New pods go straight to Running + Ready once scheduled.</summary>
    public bool AutoReady { get; set; }

    /// <summary>
    /// How long a deleted pod that has a node stays Terminating (deletionTimestamp set) before it disappears, as
    /// the kubelet's graceful shutdown would. Zero (default) deletes pods at once. <c>gracePeriodSeconds</c> on the
    /// DELETE request overrides it; a second DELETE with <c>gracePeriodSeconds=0</c> forces removal.
    /// </summary>
    public TimeSpan TerminationGracePeriod
    {
        get => _server.Api.PodTerminationGracePeriod;
        set => _server.Api.PodTerminationGracePeriod = value;
    }

    public V1Pod Get(string ns, string name) => KubernetesJson.Deserialize<V1Pod>(_server.Api.Get(ResourceCatalog.Pods, ns, name).ToJsonString());

    /// <summary>Binds the pod to the fake node (PodScheduled=True, containers ContainerCreating).</summary>
    public void Schedule(string ns, string name) =>
        Mutate(ns, name, pod => PodStatusWriter.Schedule(pod, _server.Options.NodeName, _server.Network.NextPodIp(), Now), "kube-scheduler");

    /// <summary>PodScheduled=False/Unschedulable plus the scheduler's FailedScheduling event.</summary>
    public void Unschedulable(string ns, string name, string message = "0/3 nodes are available: 3 Insufficient cpu.")
    {
        var pod = Mutate(ns, name, p =>
        {
            var status = PodStatusWriter.Status(p);
            status["phase"] = "Pending";
            Conditions.Set(status, "PodScheduled", "False", "Unschedulable", message, Now);
        }, "kube-scheduler");
        _server.Events.Add(pod, "FailedScheduling", message, "Warning", "default-scheduler");
    }

    /// <summary>All containers (or one) running; Ready unless <paramref name="ready"/> is false.</summary>
    public void Running(string ns, string name, bool ready = true, string? container = null) =>
        Mutate(ns, name, pod =>
        {
            EnsureScheduled(pod);
            foreach (var c in Targets(pod, container, all: container is null))
            {
                PodStatusWriter.Running(pod, c, ready, Now);
            }

            PodStatusWriter.Refresh(pod, Now);
        });

    /// <summary>A container waiting with a reason: ImagePullBackOff, ErrImagePull, CreateContainerConfigError...</summary>
    public void Waiting(string ns, string name, string reason, string? message = null, string? container = null)
    {
        var pod = Mutate(ns, name, p =>
        {
            EnsureScheduled(p);
            PodStatusWriter.Waiting(p, Targets(p, container, all: false).Single(), reason, message);
            PodStatusWriter.Refresh(p, Now);
        });
        if (reason is "ImagePullBackOff" or "ErrImagePull")
        {
            var image = Json.Str(PodStatusWriter.Containers(pod).FirstOrDefault(c => container is null || Json.Str(c, "name") == container), "image");
            _server.Events.Add(pod, reason == "ErrImagePull" ? "Failed" : "BackOff",
                message ?? $"Back-off pulling image \"{image}\"", "Warning", Kubelet);
        }
    }

    /// <summary>The container's last run ended with <paramref name="exitCode"/> and it now waits in CrashLoopBackOff.</summary>
    public void CrashLoop(string ns, string name, int exitCode = 1, string reason = "Error", string? container = null)
    {
        var pod = Mutate(ns, name, p =>
        {
            EnsureScheduled(p);
            PodStatusWriter.CrashLoop(p, Targets(p, container, all: false).Single(), exitCode, reason, Now);
            PodStatusWriter.Refresh(p, Now);
        });
        _server.Events.Add(pod, "BackOff", "Back-off restarting failed container", "Warning", Kubelet);
    }

    /// <summary>A container terminated: reason Completed/Error/OOMKilled and its exit code. Phase follows restartPolicy.</summary>
    public void Terminated(string ns, string name, string reason = "Completed", int exitCode = 0, string? message = null, string? container = null)
    {
        Mutate(ns, name, pod =>
        {
            EnsureScheduled(pod);
            foreach (var c in Targets(pod, container, all: container is null))
            {
                PodStatusWriter.Terminated(pod, c, reason, exitCode, message, Now);
            }

            PodStatusWriter.Refresh(pod, Now);
        });
        _server.Logs.Signal();
    }

    public void Succeeded(string ns, string name) => Terminated(ns, name, "Completed", 0);

    public void Failed(string ns, string name, string reason = "Error", int exitCode = 1) => Terminated(ns, name, reason, exitCode);

    public void OomKilled(string ns, string name, string? container = null) => Terminated(ns, name, "OOMKilled", 137, container: container);

    /// <summary>Pod-level failure without container detail (e.g. Evicted).</summary>
    public void Phase(string ns, string name, string phase, string? reason = null, string? message = null) =>
        Mutate(ns, name, pod =>
        {
            var status = PodStatusWriter.Status(pod);
            status["phase"] = phase;
            if (reason is not null)
            {
                status["reason"] = reason;
            }

            if (message is not null)
            {
                status["message"] = message;
            }
        });

    /// <summary>Arbitrary status change through the typed model.</summary>
    public void UpdateStatus(string ns, string name, Action<V1Pod> change) =>
        Mutate(ns, name, pod =>
        {
            var typed = KubernetesJson.Deserialize<V1Pod>(pod.ToJsonString());
            change(typed);
            pod["status"] = JsonNode.Parse(KubernetesJson.Serialize(typed.Status ?? new V1PodStatus()));
        });

    /// <summary>Replaces the container's log.</summary>
    public void SetLog(string ns, string name, string text, string? container = null, bool previous = false) =>
        _server.Logs.Set(ns, name, ContainerName(ns, name, container), text, previous);

    /// <summary>Appends to the container's log; open <c>follow=true</c> streams receive it.</summary>
    public void AppendLog(string ns, string name, string text, string? container = null) =>
        _server.Logs.Append(ns, name, ContainerName(ns, name, container), text);

    internal JsonObject Mutate(string ns, string name, Action<JsonObject> change, string manager = Kubelet)
    {
        var result = _server.Api.Modify(ResourceCatalog.Pods, ns, name, change, new WriteOptions(manager, Subresource: "status"));
        if (result["spec"]?["nodeName"] is null && result["status"]?["hostIP"] is not null)
        {
            // nodeName lives in spec; the binding is the scheduler's one spec write.
            result = _server.Api.Modify(ResourceCatalog.Pods, ns, name, p => p["spec"]!["nodeName"] = _server.Options.NodeName, new WriteOptions("kube-scheduler"));
        }

        _server.Logs.Signal();
        return result;
    }

    private void EnsureScheduled(JsonObject pod)
    {
        if (Conditions.Get(pod["status"], "PodScheduled") != "True")
        {
            PodStatusWriter.Schedule(pod, _server.Options.NodeName, _server.Network.NextPodIp(), Now);
        }
    }

    private static IEnumerable<string> Targets(JsonObject pod, string? container, bool all)
    {
        var names = PodStatusWriter.Containers(pod).Select(c => Json.Str(c, "name")!).ToList();
        if (container is not null)
        {
            return names.Contains(container) ? [container] : throw ApiException.BadRequest($"pod {Json.Name(pod)} has no container {container}");
        }

        return all ? names : names.Take(1);
    }

    private string ContainerName(string ns, string name, string? container) =>
        container ?? Json.Str(PodStatusWriter.Containers(_server.Api.Get(ResourceCatalog.Pods, ns, name)).FirstOrDefault(), "name")
        ?? throw ApiException.BadRequest($"pod {name} has no containers");

    private string Now => _server.Api.Now;
}
