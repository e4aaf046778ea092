using k8s;
using k8s.Models;

namespace Kindling.Cluster;

/// <summary>
/// Waits until the environment's Deployments have rolled out, their pods are Ready and their PVCs are bound,
/// reporting progress as the watched objects change. Three resilient watches feed one snapshot; nothing polls.
/// On timeout, or as soon as a pod is stuck in a state waiting cannot fix, it throws
/// <see cref="ResourcesNotReadyException"/> naming every unready resource and why.
/// </summary>
internal sealed class ReadinessWaiter(KubeConnection connection)
{
    public async Task WaitAsync(ReadinessTargets targets, ReadinessOptions options, IProgress<ProgressEvent> progress, CancellationToken cancellationToken)
    {
        var time = connection.Time;
        var started = time.GetTimestamp();
        // One watch per kind: the pods of every Deployment come from one pod watch on the labels their selectors
        // share (each Deployment's pods are picked out of it by its own selector); only Deployments with no label
        // in common get a pod watch each.
        var podWatches = PodWatches(targets.Deployments);
        var snapshot = new WatchedState(sources: 2 + podWatches.Count);
        var volumes = new VolumeBindingLookup(connection, targets.Namespace);
        var reported = new Dictionary<string, string>(StringComparer.Ordinal);
        var terminalSince = new Dictionary<string, long>(StringComparer.Ordinal);

        using var watchScope = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var ns = targets.Namespace;
        var watches = new List<Task>
        {
            ResilientWatch.RunAsync(connection, Sources.Deployments(ns), snapshot.ReplaceDeployments, snapshot.OnDeployment, watchScope.Token),
            ResilientWatch.RunAsync(connection, Sources.Claims(ns), snapshot.ReplaceClaims, snapshot.OnClaim, watchScope.Token),
        };
        foreach (var (selector, members) in podWatches)
            watches.Add(ResilientWatch.RunAsync(connection, Sources.Pods(ns, PodConditions.Selector(selector)),
                items => snapshot.ReplacePods(selector, members, items), (t, p) => snapshot.OnPod(members, t, p), watchScope.Token));

        try
        {
            while (true)
            {
                var view = snapshot.Read();
                if (!view.Complete && time.GetElapsedTime(started) < options.Timeout)
                {
                    // Judge nothing before every watch has listed once: "not found" would only mean "not listed yet".
                    await ThrowIfAnyFailedAsync(watches).ConfigureAwait(false);
                    await snapshot.WaitForChangeAsync(options.Timeout - time.GetElapsedTime(started), watches, time, cancellationToken).ConfigureAwait(false);
                    continue;
                }
                var assessment = await AssessAsync(targets, view, volumes, cancellationToken).ConfigureAwait(false);
                foreach (var line in assessment.Lines)
                {
                    if (reported.TryGetValue(line.Subject, out var last) && last == line.Message) continue;
                    reported[line.Subject] = line.Message;
                    progress.Report(line);
                }
                if (assessment.Ready) return;

                var now = time.GetTimestamp();
                foreach (var key in terminalSince.Keys.Except(assessment.Terminal).ToList()) terminalSince.Remove(key);
                foreach (var key in assessment.Terminal) terminalSince.TryAdd(key, now);
                var stuckFor = terminalSince.Count == 0 ? TimeSpan.Zero : time.GetElapsedTime(terminalSince.Values.Min(), now);
                var elapsed = time.GetElapsedTime(started, now);
                if (terminalSince.Count > 0 && stuckFor >= options.FailFastGrace)
                    throw await new UnreadyDiagnosis(connection, targets).BuildAsync(view,
                        "the environment cannot become ready", cancellationToken).ConfigureAwait(false);
                if (elapsed >= options.Timeout)
                    throw await new UnreadyDiagnosis(connection, targets).BuildAsync(view,
                        $"timed out after {Format(options.Timeout)} waiting for the environment to become ready", cancellationToken).ConfigureAwait(false);

                var wake = options.Timeout - elapsed;
                if (terminalSince.Count > 0 && options.FailFastGrace - stuckFor < wake) wake = options.FailFastGrace - stuckFor;
                await ThrowIfAnyFailedAsync(watches).ConfigureAwait(false);
                await snapshot.WaitForChangeAsync(wake, watches, time, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            await watchScope.CancelAsync().ConfigureAwait(false);
            try
            {
                await Task.WhenAll(watches).ConfigureAwait(false);
            }
            catch (Exception)
            {
                // Watches end with cancellation here; a real watch failure was already rethrown above.
            }
        }
    }

    /// <summary>
    /// The pod watches: one on the labels all Deployments' selectors share (with one Deployment, its selector),
    /// else one per Deployment.
    /// </summary>
    internal static IReadOnlyList<(IReadOnlyDictionary<string, string> Selector, IReadOnlyList<DeploymentTarget> Members)> PodWatches(
        IReadOnlyList<DeploymentTarget> deployments)
    {
        if (deployments.Count == 0) return [];
        var shared = deployments.Skip(1).Aggregate(
            (IEnumerable<KeyValuePair<string, string>>)deployments[0].Selector,
            (common, d) => common.Where(kv => d.Selector.TryGetValue(kv.Key, out var v) && v == kv.Value)).ToList();
        if (shared.Count > 0)
            return [(new SortedDictionary<string, string>(shared.ToDictionary(kv => kv.Key, kv => kv.Value), StringComparer.Ordinal), deployments)];
        return deployments.Select(d => (d.Selector, (IReadOnlyList<DeploymentTarget>)[d])).ToList();
    }

    /// <summary>A watch only ends early on a non-transient API error (e.g. 403): that error is the answer.</summary>
    private static async Task ThrowIfAnyFailedAsync(IEnumerable<Task> watches)
    {
        if (watches.FirstOrDefault(w => w.IsFaulted) is { } failed) await failed.ConfigureAwait(false);
    }

    private static async Task<Assessment> AssessAsync(ReadinessTargets targets, WatchedState.View view, VolumeBindingLookup volumes, CancellationToken cancellationToken)
    {
        var lines = new List<ProgressEvent>();
        var terminal = new List<string>();
        var ready = true;
        foreach (var target in targets.Claims)
        {
            var claim = view.Claims.GetValueOrDefault(target);
            string message;
            var done = false;
            if (claim is null) message = "not found";
            else if (claim.Status?.Phase == "Bound") (message, done) = ("Bound", true);
            else if (await volumes.WaitsForFirstConsumerAsync(claim, cancellationToken).ConfigureAwait(false))
                (message, done) = ("waiting for first consumer (binds when the pod is scheduled)", true);
            else message = claim.Status?.Phase ?? "Pending";
            ready &= done;
            lines.Add(new ProgressEvent($"PersistentVolumeClaim/{target}", done ? ProgressStatus.Done : ProgressStatus.Waiting, message));
        }
        foreach (var target in targets.Deployments)
        {
            var deployment = view.Deployments.GetValueOrDefault(target.Name);
            var rolledOut = deployment is not null && PodConditions.IsRolledOut(deployment);
            var pods = view.PodsOf(target.Name);
            var readyPod = pods.Any(p => PodConditions.IsReady(p) && p.Metadata.DeletionTimestamp is null);
            ready &= rolledOut && readyPod;
            lines.Add(new ProgressEvent($"Deployment/{target.Name}", rolledOut ? ProgressStatus.Done : ProgressStatus.Waiting,
                deployment is null ? "not found" : rolledOut ? "rolled out" : PodConditions.RolloutSummary(deployment)));
            foreach (var pod in pods)
            {
                var isReady = PodConditions.IsReady(pod);
                lines.Add(new ProgressEvent($"Pod/{pod.Metadata.Name}", isReady ? ProgressStatus.Done : ProgressStatus.Waiting, PodConditions.Summary(pod)));
                if (!isReady && PodConditions.Terminal(pod) is not null && pod.Metadata.DeletionTimestamp is null)
                    terminal.Add(pod.Metadata.Name);
            }
        }
        return new Assessment(ready, lines, terminal);
    }

    private static string Format(TimeSpan t) => t.TotalMinutes >= 1 && t.Seconds == 0 ? $"{(int)t.TotalMinutes}m" : $"{t.TotalSeconds:0.#}s";

    /// <summary>One evaluation of the snapshot.</summary>
    internal sealed record Assessment(bool Ready, IReadOnlyList<ProgressEvent> Lines, IReadOnlyList<string> Terminal);

    /// <summary>The list and watch calls for the three kinds the waiter follows.</summary>
    private static class Sources
    {
        public static WatchSource<V1Deployment> Deployments(string ns) => new($"deployments in {ns}",
            async (k, ct) =>
            {
                var list = await k.AppsV1.ListNamespacedDeploymentAsync(ns, cancellationToken: ct).ConfigureAwait(false);
                return (list.Items.ToList(), list.Metadata?.ResourceVersion ?? "");
            },
            (k, rv, onError, ct) => k.AppsV1.WatchListNamespacedDeploymentAsync(ns, allowWatchBookmarks: true, resourceVersion: rv, onError: onError, cancellationToken: ct));

        public static WatchSource<V1PersistentVolumeClaim> Claims(string ns) => new($"persistentvolumeclaims in {ns}",
            async (k, ct) =>
            {
                var list = await k.CoreV1.ListNamespacedPersistentVolumeClaimAsync(ns, cancellationToken: ct).ConfigureAwait(false);
                return (list.Items.ToList(), list.Metadata?.ResourceVersion ?? "");
            },
            (k, rv, onError, ct) => k.CoreV1.WatchListNamespacedPersistentVolumeClaimAsync(ns, allowWatchBookmarks: true, resourceVersion: rv, onError: onError, cancellationToken: ct));

        public static WatchSource<V1Pod> Pods(string ns, string selector) => new($"pods {selector} in {ns}",
            async (k, ct) =>
            {
                var list = await k.CoreV1.ListNamespacedPodAsync(ns, labelSelector: selector, cancellationToken: ct).ConfigureAwait(false);
                return (list.Items.ToList(), list.Metadata?.ResourceVersion ?? "");
            },
            (k, rv, onError, ct) => k.CoreV1.WatchListNamespacedPodAsync(ns, labelSelector: selector, allowWatchBookmarks: true, resourceVersion: rv, onError: onError, cancellationToken: ct));
    }
}
