using k8s;
using Kindling.Cluster;
using Kindling.Resources;
using Kindling.Spark;

namespace Kindling.Operations;

/// <summary>Options of <c>kindling down</c>.</summary>
public sealed record DownOptions
{
    /// <summary>Also delete the notebooks' PVC, the token Secret and the namespace (<c>--purge</c>).</summary>
    public bool Purge { get; init; }

    /// <summary>Stop the namespace's Spark applications first, as <c>kill</c> does (<c>--apps</c>).</summary>
    public bool Apps { get; init; }

    /// <summary>How long to wait for deleted objects to disappear.</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(5);
}

/// <summary>What <c>down</c> did.</summary>
/// <param name="Namespace">The environment's namespace.</param>
/// <param name="Cluster">The cluster it ran against.</param>
/// <param name="Objects">Every object found with the environment's inventory label: deleted or kept.</param>
public sealed record DownResult(string Namespace, KubeTarget Cluster, IReadOnlyList<AppliedObject> Objects)
{
    /// <summary>Spark applications left running in the namespace (empty with <c>--apps</c>, which stops them).</summary>
    public SparkLeftovers? SparkApplications { get; init; }

    /// <summary>Applications <c>--apps</c> stopped.</summary>
    public IReadOnlyList<string> StoppedApplications { get; init; } = [];

    /// <summary>With <c>--purge</c>: objects that are not Kindling's and kept the namespace from being deleted.</summary>
    public IReadOnlyList<ObjectRef> LeftInNamespace { get; init; } = [];
}

/// <summary>
/// <c>kindling down</c>: deletes every object carrying the environment's inventory label and waits until they
/// are gone. The notebooks' PVC and the token Secret stay unless purging, so a later <c>up</c> brings back the
/// same notebooks behind the same URL. The namespace is deleted only with <c>--purge</c>, only when Kindling
/// created it, and only when nothing but Kindling's objects is in it; otherwise down names what it left. Spark
/// applications are the user's work: down says how many remain, and <c>--apps</c> stops them first, as
/// <c>kill</c> does. Deletes are idempotent: an interrupted <c>down</c> is finished by running it again.
/// </summary>
public static class DownOperation
{
    private const int NamedLeftovers = 10;

    /// <param name="environment">The environment and its cluster; progress goes to its reporter.</param>
    /// <param name="options">What to delete and how long to wait.</param>
    /// <param name="cancellationToken">Stops; a re-run finishes the job.</param>
    public static async Task<DownResult> RunAsync(EnvironmentContext environment, DownOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(options);
        var progress = environment.Progress;
        var ns = environment.Namespace;
        var connection = environment.Connection;
        var manifests = environment.Manifests();
        var inventory = new Inventory(connection, environment.Spec.Name, ns);
        const string retryHint = "run 'kindling down' again to keep waiting";
        await MetricsMonitor.DeleteAsync(connection, environment.Spec, progress, cancellationToken).ConfigureAwait(false);

        var notebookSelectors = ReadinessTargets.From(manifests, ns).Deployments.Select(d => d.Selector).ToList();
        var leftovers = await SparkLeftoversAsync(connection, ns, notebookSelectors, cancellationToken).ConfigureAwait(false);
        var stopped = new List<string>();
        if (options.Apps && !leftovers.IsEmpty)
        {
            progress.Report(new ProgressEvent("applications", ProgressStatus.Started, $"stopping {leftovers}"));
            await RecordStoppingAsync(environment, leftovers.AppIds, cancellationToken).ConfigureAwait(false);
            await StopApplicationsAsync(connection, ns, leftovers.AppIds, options.Timeout, progress, cancellationToken).ConfigureAwait(false);
            stopped.AddRange(leftovers.AppIds);
            leftovers = await SparkLeftoversAsync(connection, ns, notebookSelectors, cancellationToken).ConfigureAwait(false);
        }
        else if (!leftovers.IsEmpty)
        {
            progress.Report(new ProgressEvent("applications", ProgressStatus.Info, $"{leftovers} remain; 'kindling down --apps' stops them"));
        }

        // Judged before anything is deleted: once the Deployment is gone, its ReplicaSet's owner is no longer
        // listed and would look like someone else's object.
        var ownership = new NamespaceOwnership(connection, environment.Spec.Name, ns);
        var namespaceState = options.Purge ? await ownership.InspectAsync(cancellationToken).ConfigureAwait(false) : NamespaceState.Unreadable;
        var foreign = options.Purge && namespaceState == NamespaceState.CreatedByKindling
            ? await ownership.ForeignObjectsAsync(cancellationToken).ConfigureAwait(false)
            : [];

        var found = await inventory.ListAsync(progress, cancellationToken).ConfigureAwait(false);
        var results = (await inventory.DeleteAsync(found, options.Purge ? _ => null : target => KeptWithoutPurge(target, environment.Names),
            ApplyAction.Deleted, progress, cancellationToken).ConfigureAwait(false)).ToList();
        var deleted = results.Where(r => r.Action == ApplyAction.Deleted).Select(r => r.Object).ToList();
        results.AddRange(await ClusterComponents.KeptAsync(connection, environment.Spec.Name, manifests, ns, cancellationToken).ConfigureAwait(false));

        if (options.Purge && namespaceState != NamespaceState.Missing)
        {
            var namespaceRef = new ObjectRef("Namespace", "", ns);
            if (namespaceState == NamespaceState.CreatedByKindling && foreign.Count == 0)
            {
                await Inventory.DeleteOneAsync(connection, KindClients.Namespace, namespaceRef, cancellationToken).ConfigureAwait(false);
                results.Add(new AppliedObject(namespaceRef, ApplyAction.Deleted));
                deleted.Add(namespaceRef);
                progress.Report(new ProgressEvent(namespaceRef.ToString(), ProgressStatus.Changed, "deleted"));
            }
            else
            {
                // Never delete a namespace Kindling did not create, nor one that holds other people's objects.
                var why = namespaceState switch
                {
                    NamespaceState.CreatedByKindling => $"holds {foreign.Count} object(s) that are not Kindling's: {Names(foreign)}",
                    NamespaceState.Unreadable => "cannot be read by this identity, so it is not known to be Kindling's",
                    _ => "not created by Kindling",
                };
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
        await Inventory.WaitUntilGoneAsync(connection, new GoneTargets(ns, deleted, podSelectors), options.Timeout, retryHint, progress, cancellationToken)
            .ConfigureAwait(false);
        return new DownResult(ns, connection.Target, results)
        {
            SparkApplications = leftovers.IsEmpty ? null : leftovers,
            StoppedApplications = stopped,
            LeftInNamespace = foreign,
        };
    }

    /// <summary>As <c>kill</c> does: how each driver ended (or that it was stopped) is kept before its pod is deleted.</summary>
    private static async Task RecordStoppingAsync(EnvironmentContext environment, IReadOnlyList<string> appIds, CancellationToken cancellationToken)
    {
        var ledger = new Spark.SparkExitLedger(environment.Connection, environment.Namespace, environment.Spec.Name);
        IReadOnlyList<SparkApplication> live;
        try
        {
            // Listing records the drivers that had already finished; the rest are recorded as stopped.
            live = await Spark.SparkEnvironment.Open(environment).ListAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (KindlingException)
        {
            return; // best effort, as everywhere: stopping the applications matters more than the record
        }
        var kept = await ledger.ReadAsync(cancellationToken).ConfigureAwait(false);
        var now = environment.Time.GetUtcNow();
        await ledger.RecordAsync(live.Where(a => a.Recorded is null && appIds.Contains(a.AppId))
            .Select(a => SparkExitRecords.Stopping(a, now)).OfType<SparkExitRecord>(), kept, cancellationToken).ConfigureAwait(false);
    }

    private static string Names(IReadOnlyList<ObjectRef> objects) =>
        string.Join(", ", objects.Take(NamedLeftovers)) + (objects.Count > NamedLeftovers ? $" and {objects.Count - NamedLeftovers} more" : "");

    /// <summary>Why an object survives a plain <c>down</c>, or null when it is deleted.</summary>
    private static string? KeptWithoutPurge(ObjectRef target, ResourceNames names) => target switch
    {
        { Kind: "PersistentVolumeClaim" } => "holds notebooks; --purge deletes it",
        { Kind: "Secret" } when target.Name == names.TokenSecret => "keeps the notebook URL stable; --purge deletes it",
        // The kept store volume's data is reachable only with these credentials.
        { Kind: "Secret" } when target.Name == ObjectStoreNames.Of(names.EnvironmentName) => "holds the object store's credentials for its kept volume; --purge deletes it",
        // The kept notebooks' PVC names this class; a later 'up' finds it in place.
        { Kind: "StorageClass" } => "the kept notebooks' PVC uses it; --purge deletes it",
        _ => null,
    };

    private static async Task<SparkLeftovers> SparkLeftoversAsync(KubeConnection connection, string ns,
        IReadOnlyList<IReadOnlyDictionary<string, string>> notebookSelectors, CancellationToken cancellationToken)
    {
        var pods = (await connection.CallAsync($"list pods in {ns}",
            (k, ct) => k.CoreV1.ListNamespacedPodAsync(ns, cancellationToken: ct), cancellationToken).ConfigureAwait(false)).Items;
        var notebookPods = pods
            .Where(p => notebookSelectors.Any(sel => sel.All(kv => p.Metadata.Labels?.TryGetValue(kv.Key, out var v) == true && v == kv.Value)))
            .Select(p => p.Metadata.Uid ?? "")
            .ToHashSet(StringComparer.Ordinal);
        var owners = new List<IReadOnlyList<k8s.Models.V1OwnerReference>?>();
        if (pods.Any(p => p.Metadata.Labels?.ContainsKey(Kindling.Spark.SparkConventions.AppIdLabel) == true))
        {
            var maps = await connection.CallAsync($"list configmaps in {ns}",
                (k, ct) => k.CoreV1.ListNamespacedConfigMapAsync(ns, cancellationToken: ct), cancellationToken).ConfigureAwait(false);
            var services = await connection.CallAsync($"list services in {ns}",
                (k, ct) => k.CoreV1.ListNamespacedServiceAsync(ns, cancellationToken: ct), cancellationToken).ConfigureAwait(false);
            owners.AddRange(maps.Items.Select(m => (IReadOnlyList<k8s.Models.V1OwnerReference>?)m.Metadata.OwnerReferences?.ToList()));
            owners.AddRange(services.Items.Select(m => (IReadOnlyList<k8s.Models.V1OwnerReference>?)m.Metadata.OwnerReferences?.ToList()));
        }
        return SparkLeftovers.From(pods.ToList(), owners, notebookPods);
    }

    /// <summary>
    /// Stops applications as <c>kill</c> does: deletes their driver pods (owner references make the garbage
    /// collector remove ConfigMaps, Services and executors), or the pods of applications without a driver here,
    /// then waits through watches until none of their pods is left.
    /// </summary>
    private static async Task StopApplicationsAsync(KubeConnection connection, string ns, IReadOnlyList<string> appIds, TimeSpan timeout,
        IProgress<ProgressEvent> progress, CancellationToken cancellationToken)
    {
        foreach (var appId in appIds)
        {
            var selector = SparkLeftovers.Selector(appId);
            await connection.CallAsync($"delete pods {selector}",
                (k, ct) => k.CoreV1.DeleteCollectionNamespacedPodAsync(ns, labelSelector: selector, propagationPolicy: "Background", cancellationToken: ct),
                cancellationToken).ConfigureAwait(false);
            progress.Report(new ProgressEvent(appId, ProgressStatus.Changed, "stopping"));
        }
        await Inventory.WaitUntilGoneAsync(connection, new GoneTargets(ns, [], appIds.Select(SparkLeftovers.Selector).ToList()), timeout,
            "run 'kindling down --apps' again to keep waiting", progress, cancellationToken).ConfigureAwait(false);
        foreach (var appId in appIds) progress.Report(new ProgressEvent(appId, ProgressStatus.Done, "stopped"));
    }
}
