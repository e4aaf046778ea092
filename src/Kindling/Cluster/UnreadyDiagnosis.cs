using System.Text;
using k8s;
using k8s.Models;

namespace Kindling.Cluster;

/// <summary>
/// Explains why resources are not ready, the way a person would dig with kubectl describe and logs: the pod's
/// waiting reason and message, scheduling and provisioning events, and the last log lines of a crashing container.
/// </summary>
internal sealed class UnreadyDiagnosis(KubeConnection connection, ReadinessTargets targets)
{
    private const int EventsPerObject = 3;
    private const int LogLines = 20;

    public async Task<ResourcesNotReadyException> BuildAsync(
        WatchedState.View view, string headline, CancellationToken cancellationToken)
    {
        var ns = targets.Namespace;
        var events = await EventsAsync(ns, cancellationToken).ConfigureAwait(false);
        var unready = new List<UnreadyResource>();

        foreach (var name in targets.Claims)
        {
            var claim = view.Claims.GetValueOrDefault(name);
            if (claim?.Status?.Phase == "Bound") continue;
            var detail = EventLines(events, "PersistentVolumeClaim", name);
            if (claim is not null && detail.Length == 0)
                detail = $"no PersistentVolume bound; storage class '{claim.Spec?.StorageClassName ?? "(cluster default)"}' has not provisioned one";
            unready.Add(new UnreadyResource("PersistentVolumeClaim", name, claim is null ? "NotFound" : claim.Status?.Phase ?? "Pending", detail));
        }

        foreach (var target in targets.Deployments)
        {
            var deployment = view.Deployments.GetValueOrDefault(target.Name);
            var pods = view.PodsOf(target.Name).Where(p => p.Metadata.DeletionTimestamp is null).ToList();
            var podsReady = pods.Any(PodConditions.IsReady);
            if (deployment is not null && PodConditions.IsRolledOut(deployment) && podsReady) continue;

            var conditions = string.Join("\n", (deployment?.Status?.Conditions ?? [])
                .Where(c => c.Status != "True" || c.Type == "ReplicaFailure")
                .Select(c => $"{c.Type}: {c.Reason} {c.Message}".TrimEnd()));
            var deploymentDetail = new StringBuilder(deployment is null ? "not found" : PodConditions.RolloutSummary(deployment));
            if (conditions.Length > 0) deploymentDetail.Append('\n').Append(conditions);
            if (pods.Count == 0)
            {
                // No pod at all: the reason is on the Deployment or its ReplicaSet (quota, admission, bad spec).
                var ownEvents = EventLines(events, "Deployment", target.Name) + EventLinesByPrefix(events, "ReplicaSet", target.Name + "-");
                if (ownEvents.Length > 0) deploymentDetail.Append('\n').Append(ownEvents);
                else deploymentDetail.Append("\nno pod has been created yet");
            }
            unready.Add(new UnreadyResource("Deployment", target.Name, deployment is null ? "NotFound" : "NotRolledOut", deploymentDetail.ToString()));

            foreach (var pod in pods.Where(p => !PodConditions.IsReady(p)))
                unready.Add(await DiagnosePodAsync(pod, events, cancellationToken).ConfigureAwait(false));
        }

        var message = $"{headline}: {unready.Count} resource(s) not ready";
        return new ResourcesNotReadyException(unready, message);
    }

    private async Task<IReadOnlyList<Corev1Event>> EventsAsync(string ns, CancellationToken cancellationToken)
    {
        try
        {
            var list = await connection.TryCallAsync($"list events in {ns}",
                (k, ct) => k.CoreV1.ListNamespacedEventAsync(ns, cancellationToken: ct), cancellationToken).ConfigureAwait(false);
            return list?.Items.ToList() ?? [];
        }
        catch (KindlingException)
        {
            // Without events the report still has every pod's own status; it must not be replaced by this error.
            return [];
        }
    }

    private async Task<UnreadyResource> DiagnosePodAsync(V1Pod pod, IReadOnlyList<Corev1Event> events, CancellationToken cancellationToken)
    {
        var name = pod.Metadata.Name;
        var detail = new StringBuilder();
        string reason;
        if (PodConditions.Unscheduled(pod) is { } unscheduled)
        {
            reason = unscheduled.Reason ?? "Unschedulable";
            if (!string.IsNullOrEmpty(unscheduled.Message)) detail.Append(unscheduled.Message);
        }
        else if (PodConditions.Waiting(pod) is { } waiting)
        {
            reason = waiting.Reason;
            var image = pod.Spec?.Containers?.Concat(pod.Spec.InitContainers ?? []).FirstOrDefault(c => c.Name == waiting.Container)?.Image;
            detail.Append($"container {waiting.Container}");
            if (image is not null && waiting.Reason.Contains("Image", StringComparison.Ordinal)) detail.Append($" (image {image})");
            if (waiting.Message.Length > 0) detail.Append(": ").Append(waiting.Message);
            if (waiting.Reason == "CrashLoopBackOff")
                detail.Append('\n').Append(await CrashDetailAsync(pod, waiting.Container, cancellationToken).ConfigureAwait(false));
        }
        else
        {
            reason = pod.Status?.Phase == "Running" ? "NotReady" : pod.Status?.Phase ?? "Pending";
            if (!string.IsNullOrEmpty(pod.Status?.Message)) detail.Append(pod.Status.Message);
        }

        // Events add what the status lacks; one that repeats the status message (the scheduler writes both) is skipped.
        var status = detail.ToString();
        foreach (var line in EventLines(events, "Pod", name).Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            if (status.Length > 0 && line.EndsWith(status, StringComparison.Ordinal)) continue;
            if (detail.Length > 0) detail.Append('\n');
            detail.Append(line);
        }
        if (reason == "Unschedulable" && events.Any(e => e.InvolvedObject?.Name == name && e.Reason == "FailedScheduling"))
            reason = "FailedScheduling";
        return new UnreadyResource("Pod", name, reason, detail.ToString());
    }

    private async Task<string> CrashDetailAsync(V1Pod pod, string container, CancellationToken cancellationToken)
    {
        var sb = new StringBuilder();
        var status = pod.Status?.ContainerStatuses?.FirstOrDefault(s => s.Name == container);
        if (status?.LastState?.Terminated is { } last)
            sb.Append($"last exit: {last.Reason ?? "Error"}, code {last.ExitCode}, restarts {status.RestartCount}\n");
        var logs = await TailAsync(pod, container, previous: true, cancellationToken).ConfigureAwait(false)
                   ?? await TailAsync(pod, container, previous: false, cancellationToken).ConfigureAwait(false);
        sb.Append(logs is null or { Length: 0 } ? "no log output available" : $"last log lines:\n{logs.TrimEnd()}");
        return sb.ToString();
    }

    private async Task<string?> TailAsync(V1Pod pod, string container, bool previous, CancellationToken cancellationToken)
    {
        try
        {
            // The crashed run's logs are the 'previous' container's; the current one is usually waiting to restart.
            await using var stream = await connection.CallAsync($"read logs of Pod/{pod.Metadata.Name}",
                (k, ct) => k.CoreV1.ReadNamespacedPodLogAsync(pod.Metadata.Name, targets.Namespace, container: container,
                    previous: previous, tailLines: LogLines, cancellationToken: ct), cancellationToken).ConfigureAwait(false);
            using var reader = new StreamReader(stream);
            var text = await reader.ReadToEndAsync(cancellationToken).ConfigureAwait(false);
            return text.Length == 0 ? null : text;
        }
        catch (KindlingException)
        {
            return null;
        }
    }

    private static string EventLines(IReadOnlyList<Corev1Event> events, string kind, string name) =>
        Format(events.Where(e => e.InvolvedObject?.Kind == kind && e.InvolvedObject.Name == name));

    private static string EventLinesByPrefix(IReadOnlyList<Corev1Event> events, string kind, string prefix) =>
        Format(events.Where(e => e.InvolvedObject?.Kind == kind && e.InvolvedObject.Name?.StartsWith(prefix, StringComparison.Ordinal) == true));

    /// <summary>The latest few events, warnings first: <c>FailedScheduling: 0/3 nodes are available: 3 Insufficient cpu.</c></summary>
    private static string Format(IEnumerable<Corev1Event> events) => string.Join("\n", events
        .OrderByDescending(e => e.Type == "Warning")
        .ThenByDescending(e => e.LastTimestamp ?? e.EventTime ?? e.FirstTimestamp ?? e.Metadata?.CreationTimestamp ?? DateTime.MinValue)
        .Take(EventsPerObject)
        .Select(e => $"{e.Reason}: {e.Message}".TrimEnd()));
}
