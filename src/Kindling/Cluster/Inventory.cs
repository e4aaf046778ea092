using k8s;
using k8s.Models;
using Kindling.Operations;
using Kindling.Resources;

namespace Kindling.Cluster;

/// <summary>One object found by its inventory label.</summary>
/// <param name="Kind">Its kind's calls.</param>
/// <param name="Ref">Which object.</param>
/// <param name="Object">What the server returned.</param>
internal sealed record InventoryEntry(KindClient Kind, ObjectRef Ref, IKubernetesObject<V1ObjectMeta> Object);

/// <summary>What to wait for after deleting: named objects, and every pod matching a selector.</summary>
/// <param name="Namespace">Where the pods are.</param>
/// <param name="Objects">Objects deleted by name.</param>
/// <param name="PodSelectors">Label selectors whose pods must all be gone (a Deployment's pods, an application's pods).</param>
internal sealed record GoneTargets(string Namespace, IReadOnlyList<ObjectRef> Objects, IReadOnlyList<string> PodSelectors)
{
    public bool IsEmpty => Objects.Count == 0 && PodSelectors.Count == 0;
}

/// <summary>
/// The ONE place that knows what an environment owns in the cluster: it lists objects by the inventory label,
/// prunes what is no longer rendered, deletes with a keep policy, and waits until deleted objects are gone
/// through watches (never by re-reading). <c>up</c> (prune), <c>down</c> and <c>kill</c> all use it.
/// </summary>
internal sealed class Inventory(KubeConnection connection, string environment, string @namespace)
{
    /// <summary>Why an object survives a deletion, or null when it goes.</summary>
    public delegate string? KeepPolicy(ObjectRef target);

    /// <summary>
    /// Never pruned: the notebooks' volume (only <c>down --purge</c> deletes it), and a StorageClass a claim of the
    /// namespace still names (the claim holds notebooks and its class is what expands it).
    /// </summary>
    public static KeepPolicy PruneKeeps(IReadOnlySet<string> classesInUse) => target => target.Kind switch
    {
        "PersistentVolumeClaim" => "no longer rendered; holds notebooks, delete it with 'kindling down --purge'",
        "StorageClass" when classesInUse.Contains(target.Name) => "no longer rendered; the notebooks' PVC uses it",
        _ => null,
    };

    public string Namespace => @namespace;

    /// <summary>
    /// Every object this environment owns, by kind then name: the namespaced ones carrying its inventory label,
    /// then the cluster-scoped ones (a StorageClass) that also carry its namespace label, so a class an admin or
    /// an environment of the same name in another namespace made is never touched. Without permission to list a
    /// cluster-scoped kind (many namespace admins lack it) none of that kind is listed, and that is said.
    /// </summary>
    public async Task<IReadOnlyList<InventoryEntry>> ListAsync(IProgress<ProgressEvent> progress, CancellationToken cancellationToken)
    {
        var selector = KindClients.InventorySelector(environment);
        // Every kind is listed at once: one round trip for the whole inventory, however many kinds there are.
        var namespaced = KindClients.All.Where(k => k.Namespaced).Select(async kind =>
        {
            var items = await connection.CallAsync($"list {kind.Resource} in {@namespace}",
                (k, ct) => kind.List(k, @namespace, selector, ct), cancellationToken).ConfigureAwait(false);
            // The selector already matched; checking again guards against a server that ignores it. Objects
            // already being deleted are someone's finished business.
            return items
                .Where(o => Owns(o, environment) && o.Metadata.DeletionTimestamp is null)
                .OrderBy(o => o.Metadata.Name, StringComparer.Ordinal)
                .Select(o => new InventoryEntry(kind, new ObjectRef(kind.Kind, @namespace, o.Metadata.Name), o))
                .ToList();
        }).ToList();
        var clusterScoped = KindClients.ClusterScoped.Select(async kind =>
        {
            IReadOnlyList<IKubernetesObject<V1ObjectMeta>> items;
            try
            {
                items = await connection.CallAsync($"list {kind.Resource}",
                    (k, ct) => kind.List(k, "", selector, ct), cancellationToken).ConfigureAwait(false);
            }
            catch (KubernetesApiException e) when (e.StatusCode == 403)
            {
                progress.Report(new ProgressEvent(kind.Resource, ProgressStatus.Info, $"not allowed to list {kind.Resource}; any this environment created are left in place"));
                return [];
            }
            return items
                .Where(o => ClusterScopedOwnership.IsOwnedBy(o, environment, @namespace) && o.Metadata.DeletionTimestamp is null)
                .OrderBy(o => o.Metadata.Name, StringComparer.Ordinal)
                .Select(o => new InventoryEntry(kind, new ObjectRef(kind.Kind, "", o.Metadata.Name), o))
                .ToList();
        }).ToList();
        var lists = namespaced.Concat(clusterScoped).ToList();
        await Waves.SettleAsync(lists).ConfigureAwait(false);
        var found = new List<InventoryEntry>();
        foreach (var list in lists) found.AddRange(await list.ConfigureAwait(false));
        return found;
    }

    /// <summary>Whether <see cref="ListAsync"/> would find <paramref name="target"/> if this environment owned it.</summary>
    public bool Sees(ObjectRef target) =>
        KindClients.ClusterScoped.Any(k => k.Kind == target.Kind)
        || (target.Namespace == @namespace && KindClients.All.Any(k => k.Namespaced && k.Kind == target.Kind));

    /// <summary>
    /// Deletes objects owned by the environment that are not in <paramref name="rendered"/>, with
    /// <see cref="PruneKeeps"/>. Runs only after a complete apply, so an interrupted <c>up</c> never prunes against a partial set.
    /// </summary>
    public async Task<IReadOnlyList<AppliedObject>> PruneAsync(IReadOnlySet<ObjectRef> rendered, IProgress<ProgressEvent> progress, CancellationToken cancellationToken) =>
        await PruneAsync(await ListAsync(progress, cancellationToken).ConfigureAwait(false), rendered, progress, cancellationToken).ConfigureAwait(false);

    /// <summary>
    /// As <see cref="PruneAsync(IReadOnlySet{ObjectRef}, IProgress{ProgressEvent}, CancellationToken)"/>, from an inventory
    /// <c>up</c> listed before it applied (what the apply created is rendered, so it is never stale).
    /// </summary>
    public async Task<IReadOnlyList<AppliedObject>> PruneAsync(IReadOnlyList<InventoryEntry> listed, IReadOnlySet<ObjectRef> rendered,
        IProgress<ProgressEvent> progress, CancellationToken cancellationToken)
    {
        var stale = listed.Where(e => !rendered.Contains(e.Ref)).ToList();
        IReadOnlySet<string> classesInUse = new HashSet<string>(StringComparer.Ordinal);
        if (stale.Any(e => e.Kind == KindClients.StorageClass))
        {
            var claims = await connection.CallAsync($"list persistentvolumeclaims in {@namespace}",
                (k, ct) => k.CoreV1.ListNamespacedPersistentVolumeClaimAsync(@namespace, cancellationToken: ct), cancellationToken).ConfigureAwait(false);
            classesInUse = claims.Items.Select(c => c.Spec?.StorageClassName).OfType<string>().ToHashSet(StringComparer.Ordinal);
        }
        return await DeleteAsync(stale, PruneKeeps(classesInUse), ApplyAction.Pruned, progress, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Deletes the given objects except those <paramref name="keep"/> names a reason for; already gone counts as done.</summary>
    public async Task<IReadOnlyList<AppliedObject>> DeleteAsync(IReadOnlyList<InventoryEntry> entries, KeepPolicy keep, ApplyAction deletedAs,
        IProgress<ProgressEvent> progress, CancellationToken cancellationToken)
    {
        var results = new List<AppliedObject>();
        foreach (var entry in entries)
        {
            if (keep(entry.Ref) is { } why)
            {
                results.Add(new AppliedObject(entry.Ref, ApplyAction.Kept, why));
                progress.Report(new ProgressEvent(entry.Ref.ToString(), ProgressStatus.Info, $"kept ({why})"));
                continue;
            }
            await DeleteOneAsync(connection, entry.Kind, entry.Ref, cancellationToken).ConfigureAwait(false);
            results.Add(new AppliedObject(entry.Ref, deletedAs));
            progress.Report(new ProgressEvent(entry.Ref.ToString(), ProgressStatus.Changed, deletedAs.ToString().ToLowerInvariant()));
        }
        return results;
    }

    /// <summary>Deletes one object (background propagation); 404 counts as done, so a repeated delete converges.</summary>
    public static async Task DeleteOneAsync(KubeConnection connection, KindClient kind, ObjectRef target, CancellationToken cancellationToken)
    {
        try
        {
            await connection.CallAsync($"delete {target}", async (k, ct) =>
            {
                await kind.Delete(k, target, ct).ConfigureAwait(false);
                return true;
            }, cancellationToken).ConfigureAwait(false);
        }
        catch (KubernetesApiException e) when (e.StatusCode == 404)
        {
        }
    }

    /// <summary>
    /// Waits until every target is gone: one resilient list-then-watch per kind (and per pod selector), each
    /// tracking the names still present. Deletion is asynchronous: finalizers, the garbage collector and graceful
    /// pod termination keep objects visible for a while after the DELETE returned.
    /// </summary>
    /// <exception cref="ResourcesNotReadyException">Something is still present after <paramref name="timeout"/>.</exception>
    public static async Task WaitUntilGoneAsync(KubeConnection connection, GoneTargets targets, TimeSpan timeout, string retryHint,
        IProgress<ProgressEvent> progress, CancellationToken cancellationToken)
    {
        if (targets.IsEmpty) return;
        var trackers = new List<GoneTracker>();
        foreach (var group in targets.Objects.GroupBy(o => (o.Kind, o.Namespace)))
            trackers.Add(new GoneTracker(KindClients.For(group.Key.Kind), group.Key.Namespace, null, group.Select(o => o.Name).ToHashSet(StringComparer.Ordinal), progress));
        foreach (var selector in targets.PodSelectors.Distinct(StringComparer.Ordinal))
            trackers.Add(new GoneTracker(KindClients.Pod, targets.Namespace, selector, null, progress));

        using var timeoutScope = new CancellationTokenSource(timeout, connection.Time);
        using var scope = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, timeoutScope.Token);
        var watches = trackers.Select(t => t.RunAsync(connection, scope.Token)).ToList();
        try
        {
            await Task.WhenAll(trackers.Select(t => t.Gone)).WaitAsync(scope.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested && timeoutScope.IsCancellationRequested)
        {
            var left = trackers.SelectMany(t => t.Remaining).ToList();
            throw new ResourcesNotReadyException(
                left.Select(r => new UnreadyResource(r.Kind, r.Name, "Terminating", "still present after delete (finalizers or graceful shutdown)")).ToList(),
                $"timed out after {timeout.TotalSeconds:0}s waiting for deleted objects to disappear; {retryHint}");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // A watch ended early with an error: surface it below.
        }
        finally
        {
            await scope.CancelAsync().ConfigureAwait(false);
            foreach (var watch in watches)
            {
                try
                {
                    await watch.ConfigureAwait(false);
                }
                catch (OperationCanceledException)
                {
                }
            }
        }
        cancellationToken.ThrowIfCancellationRequested();
    }

    internal static bool Owns(IKubernetesObject<V1ObjectMeta> obj, string environment) =>
        obj.Metadata.Labels?.TryGetValue(KindlingLabels.Inventory, out var value) == true && value == environment;

    /// <summary>Follows one kind: which of the awaited names (or, with a selector, which matching objects) still exist.</summary>
    private sealed class GoneTracker
    {
        private readonly KindClient kind;
        private readonly string ns;
        private readonly string? selector;
        private readonly HashSet<string>? awaited;
        private readonly IProgress<ProgressEvent> progress;
        private readonly HashSet<string> present = new(StringComparer.Ordinal);
        private readonly HashSet<string> reported = new(StringComparer.Ordinal);
        private readonly TaskCompletionSource gone = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly object gate = new();

        public GoneTracker(KindClient kind, string ns, string? selector, HashSet<string>? awaited, IProgress<ProgressEvent> progress)
        {
            this.kind = kind;
            this.ns = ns;
            this.selector = selector;
            this.awaited = awaited;
            this.progress = progress;
        }

        public Task Gone => gone.Task;

        public IReadOnlyList<ObjectRef> Remaining
        {
            get
            {
                lock (gate) return present.Select(n => new ObjectRef(kind.Kind, ns, n)).ToList();
            }
        }

        public async Task RunAsync(KubeConnection connection, CancellationToken cancellationToken)
        {
            var watch = kind.Watch ?? throw new InvalidOperationException($"no watch for kind {kind.Kind}");
            var source = new WatchSource<IKubernetesObject<V1ObjectMeta>>($"{kind.Resource} in {(ns.Length == 0 ? "the cluster" : ns)}",
                async (k, ct) =>
                {
                    var items = await kind.List(k, ns, selector ?? "", ct).ConfigureAwait(false);
                    // KindClient's list hands back the items, not the list's resourceVersion. Any listed item's
                    // version is at or before the list's, and watching from it replays every later change in order,
                    // ending in the current state (a version too old answers 410 and the loop lists again). With
                    // nothing listed there is nothing to wait for.
                    return (items, items.Select(o => o.Metadata.ResourceVersion).FirstOrDefault(v => !string.IsNullOrEmpty(v)) ?? "");
                },
                (k, rv, onError, ct) => watch(k, ns, selector, rv, onError, ct));
            try
            {
                await ResilientWatch.RunAsync(connection, source, Replace, OnEvent, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (!cancellationToken.IsCancellationRequested)
            {
                gone.TrySetException(e);
            }
        }

        private bool Awaited(string name) => awaited is null || awaited.Contains(name);

        private void Replace(IReadOnlyList<IKubernetesObject<V1ObjectMeta>> items)
        {
            lock (gate)
            {
                var before = present.ToList();
                present.Clear();
                foreach (var o in items.Where(o => Awaited(o.Metadata.Name))) present.Add(o.Metadata.Name);
                if (awaited is not null) foreach (var name in awaited.Where(n => !present.Contains(n))) Report(name);
                foreach (var name in before.Where(n => !present.Contains(n))) Report(name);
                if (present.Count == 0) gone.TrySetResult();
            }
        }

        private void OnEvent(WatchEventType type, IKubernetesObject<V1ObjectMeta> obj)
        {
            lock (gate)
            {
                var name = obj.Metadata.Name;
                if (!Awaited(name)) return;
                if (type == WatchEventType.Deleted)
                {
                    present.Remove(name);
                    Report(name);
                }
                else if (!gone.Task.IsCompleted)
                {
                    present.Add(name);
                }
                if (present.Count == 0) gone.TrySetResult();
            }
        }

        private void Report(string name)
        {
            if (reported.Add(name)) progress.Report(new ProgressEvent($"{kind.Kind}/{name}", ProgressStatus.Done, "gone"));
        }
    }
}
