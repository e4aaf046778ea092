using k8s;
using Kindling.Cluster;
using Kindling.Resources;

namespace Kindling.Operations;

/// <summary>Options of <c>kindling down</c>.</summary>
public sealed record DownOptions
{
    /// <summary>Also delete the notebooks' PVC, the token Secret and the namespace (<c>--purge</c>).</summary>
    public bool Purge { get; init; }

    /// <summary>How long to wait for deleted objects to disappear.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(5);
}

/// <summary>What <c>down</c> did.</summary>
/// <param name="Namespace">The environment's namespace.</param>
/// <param name="Cluster">The cluster it ran against.</param>
/// <param name="Objects">Every object found with the environment's inventory label: deleted or kept.</param>
public sealed record DownResult(string Namespace, KubeTarget Cluster, IReadOnlyList<AppliedObject> Objects);

/// <summary>
/// <c>kindling down</c>: deletes every object carrying the environment's inventory label and waits until they
/// are gone. The notebooks' PVC and the token Secret stay unless purging, so a later <c>up</c> brings back the
/// same notebooks behind the same URL. Deletes are idempotent: an interrupted <c>down</c> is finished by running
/// it again.
/// </summary>
public static class DownOperation
{
    private static readonly TimeSpan MaxPollDelay = TimeSpan.FromSeconds(2);

    /// <param name="environment">The environment and its cluster; progress goes to its reporter.</param>
    /// <param name="options">What to delete and how long to wait.</param>
    /// <param name="cancellationToken">Stops; a re-run finishes the job.</param>
    public static async Task<DownResult> RunAsync(EnvironmentContext environment, DownOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(options);
        var progress = environment.Progress;
        var ns = environment.Namespace;
        var inventory = environment.Spec.Name;
        var connection = environment.Connection;
        var applier = new ServerSideApplier(connection);
        var results = new List<AppliedObject>();
        var deleted = new List<ObjectRef>();
        await MetricsMonitor.DeleteAsync(connection, environment.Spec, progress, cancellationToken).ConfigureAwait(false);

        foreach (var kind in KindClients.All.Where(k => k.Namespaced))
        {
            var found = await connection.CallAsync($"list {kind.Resource} in {ns}",
                (k, ct) => kind.List(k, ns, KindClients.InventorySelector(inventory), ct), cancellationToken).ConfigureAwait(false);
            foreach (var obj in found.Where(o => ServerSideApplier.HasInventory(o, inventory)).OrderBy(o => o.Metadata.Name, StringComparer.Ordinal))
            {
                var target = new ObjectRef(kind.Kind, ns, obj.Metadata.Name);
                if (!options.Purge && KeptWithoutPurge(target, environment.Names) is { } why)
                {
                    results.Add(new AppliedObject(target, ApplyAction.Kept, why));
                    progress.Report(new ProgressEvent(target.ToString(), ProgressStatus.Info, $"kept ({why})"));
                    continue;
                }
                await applier.DeleteAsync(kind, target, cancellationToken).ConfigureAwait(false);
                results.Add(new AppliedObject(target, ApplyAction.Deleted));
                deleted.Add(target);
                progress.Report(new ProgressEvent(target.ToString(), ProgressStatus.Changed, "deleted"));
            }
        }

        if (options.Purge)
        {
            var namespaceRef = new ObjectRef("Namespace", "", ns);
            var existing = await connection.TryCallAsync($"read {namespaceRef}", (k, ct) => KindClients.Namespace.Read(k, namespaceRef, ct), cancellationToken)
                .ConfigureAwait(false);
            if (existing is not null && ServerSideApplier.HasInventory(existing, inventory))
            {
                await applier.DeleteAsync(KindClients.Namespace, namespaceRef, cancellationToken).ConfigureAwait(false);
                results.Add(new AppliedObject(namespaceRef, ApplyAction.Deleted));
                deleted.Add(namespaceRef);
                progress.Report(new ProgressEvent(namespaceRef.ToString(), ProgressStatus.Changed, "deleted"));
            }
            else if (existing is not null)
            {
                // Never delete a namespace Kindling did not create (it may be 'default' or shared with other workloads).
                const string why = "not created by Kindling";
                results.Add(new AppliedObject(namespaceRef, ApplyAction.Kept, why));
                progress.Report(new ProgressEvent(namespaceRef.ToString(), ProgressStatus.Info, $"kept ({why})"));
            }
        }

        // Deleting the Deployment removes its pods through the garbage collector; the notebook pod still holds the
        // PVC until it has shut down, so down is finished only when those pods are gone too.
        var podSelectors = ReadinessTargets.From(environment.Manifests(), ns).Deployments
            .Where(d => deleted.Contains(new ObjectRef("Deployment", ns, d.Name)))
            .Select(d => PodConditions.Selector(d.Selector))
            .ToList();
        await WaitUntilGoneAsync(connection, ns, deleted, podSelectors, options.Timeout, progress, cancellationToken).ConfigureAwait(false);
        return new DownResult(ns, connection.Target, results);
    }

    /// <summary>Why an object survives a plain <c>down</c>, or null when it is deleted.</summary>
    private static string? KeptWithoutPurge(ObjectRef target, ResourceNames names) => target switch
    {
        { Kind: "PersistentVolumeClaim" } => "holds notebooks; --purge deletes it",
        { Kind: "Secret" } when target.Name == names.TokenSecret => "keeps the notebook URL stable; --purge deletes it",
        _ => null,
    };

    /// <summary>
    /// Re-reads the deleted objects with a growing interval until all return 404. Deletion is asynchronous:
    /// finalizers and graceful pod termination keep objects visible for a while after the DELETE returned.
    /// </summary>
    private static async Task WaitUntilGoneAsync(KubeConnection connection, string ns, IReadOnlyList<ObjectRef> deleted,
        IReadOnlyList<string> podSelectors, TimeSpan timeout, IProgress<ProgressEvent> progress, CancellationToken cancellationToken)
    {
        var time = connection.Time;
        var started = time.GetTimestamp();
        var remaining = deleted.ToList();
        var delay = TimeSpan.FromMilliseconds(100);
        while (true)
        {
            var still = new List<ObjectRef>();
            foreach (var target in remaining)
            {
                var kind = KindClients.For(target.Kind);
                var obj = await connection.TryCallAsync($"read {target}", (k, ct) => kind.Read(k, target, ct), cancellationToken).ConfigureAwait(false);
                if (obj is not null) still.Add(target);
                else progress.Report(new ProgressEvent(target.ToString(), ProgressStatus.Done, "gone"));
            }
            remaining = still;
            var pods = new List<ObjectRef>();
            foreach (var selector in podSelectors)
            {
                var list = await connection.CallAsync($"list pods in {ns}",
                    (k, ct) => k.CoreV1.ListNamespacedPodAsync(ns, labelSelector: selector, cancellationToken: ct), cancellationToken).ConfigureAwait(false);
                pods.AddRange(list.Items.Select(p => new ObjectRef("Pod", ns, p.Metadata.Name)));
            }
            if (remaining.Count == 0 && pods.Count == 0) return;
            if (time.GetElapsedTime(started) >= timeout)
                throw new ResourcesNotReadyException(
                    remaining.Concat(pods).Select(r => new UnreadyResource(r.Kind, r.Name, "Terminating", "still present after delete (finalizers or graceful shutdown)")).ToList(),
                    $"timed out after {timeout.TotalSeconds:0}s waiting for deleted objects to disappear; run 'kindling down' again to keep waiting");
            await Task.Delay(delay, time, cancellationToken).ConfigureAwait(false);
            delay = delay * 2 > MaxPollDelay ? MaxPollDelay : delay * 2;
        }
    }
}
