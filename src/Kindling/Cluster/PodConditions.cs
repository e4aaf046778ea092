using k8s.Models;

namespace Kindling.Cluster;

/// <summary>Pure readings of pod, Deployment and PVC status, shared by <c>up</c>'s waiter and <c>status</c>.</summary>
internal static class PodConditions
{
    /// <summary>
    /// Container waiting reasons the kubelet only reaches after it already failed and backed off, or that no
    /// retry can fix without a change: waiting longer will not help, so <c>up</c> fails fast on them.
    /// </summary>
    public static readonly IReadOnlySet<string> TerminalWaitingReasons = new HashSet<string>(StringComparer.Ordinal)
    {
        "ImagePullBackOff", "ErrImagePull", "InvalidImageName", "ErrImageNeverPull",
        "CrashLoopBackOff", "CreateContainerConfigError", "CreateContainerError", "RunContainerError",
    };

    /// <summary>Condition <c>Ready=True</c>: every container passed its readiness probe.</summary>
    public static bool IsReady(V1Pod pod) =>
        pod.Status?.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") == true;

    /// <summary>The first container (init containers first) stuck in a waiting state, with its reason and message.</summary>
    public static (string Container, string Reason, string Message)? Waiting(V1Pod pod)
    {
        var statuses = (pod.Status?.InitContainerStatuses ?? []).Concat(pod.Status?.ContainerStatuses ?? []);
        foreach (var s in statuses)
        {
            if (s.State?.Waiting is { Reason: { Length: > 0 } reason } waiting && reason != "PodInitializing")
                return (s.Name, reason, waiting.Message ?? "");
        }
        return null;
    }

    /// <summary>The <c>PodScheduled=False</c> condition, when the scheduler could not place the pod.</summary>
    public static V1PodCondition? Unscheduled(V1Pod pod) =>
        pod.Status?.Conditions?.FirstOrDefault(c => c.Type == "PodScheduled" && c.Status == "False");

    /// <summary>A reason the pod will not become ready by waiting, or null.</summary>
    public static (string Reason, string Message)? Terminal(V1Pod pod)
    {
        if (pod.Status?.Phase is "Failed") return ("Failed", pod.Status.Message ?? pod.Status.Reason ?? "the pod failed");
        return Waiting(pod) is { } w && TerminalWaitingReasons.Contains(w.Reason) ? (w.Reason, w.Message) : null;
    }

    /// <summary><c>Running</c>, <c>Pending (ContainerCreating)</c>, <c>Pending (Unschedulable)</c>, <c>Ready</c>.</summary>
    public static string Summary(V1Pod pod)
    {
        if (pod.Metadata.DeletionTimestamp is not null) return "Terminating";
        if (IsReady(pod)) return "Ready";
        var phase = pod.Status?.Phase ?? "Pending";
        // An unscheduled pod has no node to create containers on: the scheduler's reason is the one that matters.
        if (Unscheduled(pod) is { } unscheduled) return $"{phase} ({unscheduled.Reason ?? "Unschedulable"})";
        if (Waiting(pod) is { } w) return $"{phase} ({w.Reason})";
        return phase == "Running" ? "Running, not ready" : phase;
    }

    /// <summary>
    /// A Deployment is rolled out when the controller has seen its latest spec (observedGeneration), every
    /// replica runs the new template (updatedReplicas), no old replica is left (replicas == updated) and all
    /// are available: the same test as <c>kubectl rollout status</c>.
    /// </summary>
    public static bool IsRolledOut(V1Deployment deployment)
    {
        var desired = deployment.Spec?.Replicas ?? 1;
        var status = deployment.Status;
        if (status is null) return false;
        return (status.ObservedGeneration ?? 0) >= (deployment.Metadata.Generation ?? 0)
               && (status.UpdatedReplicas ?? 0) >= desired
               && (status.Replicas ?? 0) <= (status.UpdatedReplicas ?? 0)
               && (status.AvailableReplicas ?? 0) >= desired;
    }

    /// <summary><c>0/1 available</c>.</summary>
    public static string RolloutSummary(V1Deployment deployment) =>
        $"{deployment.Status?.AvailableReplicas ?? 0}/{deployment.Spec?.Replicas ?? 1} available, {deployment.Status?.UpdatedReplicas ?? 0} updated";

    /// <summary>Whether the pod's labels satisfy a matchLabels selector.</summary>
    public static bool Matches(IDictionary<string, string>? labels, IReadOnlyDictionary<string, string> selector) =>
        selector.Count > 0 && selector.All(kv => labels?.TryGetValue(kv.Key, out var v) == true && v == kv.Value);

    /// <summary>A label selector string for matchLabels.</summary>
    public static string Selector(IReadOnlyDictionary<string, string> matchLabels) =>
        string.Join(",", matchLabels.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => $"{kv.Key}={kv.Value}"));
}
