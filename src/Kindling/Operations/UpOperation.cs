using Kindling.Cluster;
using Kindling.Configuration;
using Kindling.Operations.Doctor;

namespace Kindling.Operations;

/// <summary>Options of <c>kindling up</c>.</summary>
public sealed record UpOptions
{
    /// <summary>How long to wait for readiness (<c>--timeout</c>).</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>How long a pod may sit in ImagePullBackOff, CrashLoopBackOff ... before <c>up</c> gives up early.</summary>
    public TimeSpan FailFastGrace { get; init; } = TimeSpan.FromSeconds(3);
}

/// <summary>What <c>up</c> did.</summary>
/// <param name="Namespace">The environment's namespace.</param>
/// <param name="Cluster">The cluster it ran against.</param>
/// <param name="Objects">Every rendered object and whether it was created, configured or unchanged.</param>
/// <param name="Pruned">Objects no longer rendered: pruned, or kept with a reason.</param>
/// <param name="Elapsed">Wall time of the whole operation.</param>
public sealed record UpResult(string Namespace, KubeTarget Cluster, IReadOnlyList<AppliedObject> Objects, IReadOnlyList<AppliedObject> Pruned, TimeSpan Elapsed)
{
    /// <summary>True when nothing was created, changed or pruned.</summary>
    public bool Unchanged => Objects.All(o => o.Action is ApplyAction.Unchanged or ApplyAction.Kept) && Pruned.All(p => p.Action == ApplyAction.Kept);
}

/// <summary>
/// <c>kindling up</c>: check permissions, apply the environment phase by phase with server-side apply, prune what
/// is no longer rendered, and wait until it is ready. Every step is idempotent, so an interrupted <c>up</c> is
/// finished by running it again.
/// </summary>
public static class UpOperation
{
    /// <param name="environment">The environment and its cluster; progress goes to its reporter.</param>
    /// <param name="options">How long to wait.</param>
    /// <param name="cancellationToken">Stops waiting; a re-run finishes the job.</param>
    public static async Task<UpResult> RunAsync(EnvironmentContext environment, UpOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(options);
        var progress = environment.Progress;
        var time = environment.Time;
        var started = time.GetTimestamp();

        // The connection (kubeconfig, context) and the images are checked first: bad input changes nothing.
        // An unchanged environment costs a handful of sequential round trips (see the waves below), not one per object.
        var connection = environment.Connection;
        _ = environment.Images;
        if (StorageValidator.OnDetectedCluster(environment.Spec, environment.Cluster.Kind, environment.Cluster.Evidence) is { } storageProblem)
            throw new InvalidInputException([storageProblem]);
        // A fresh token is only used if the token Secret does not exist yet: it is created, never rewritten, so
        // the token the running notebook uses stays the one in the cluster whichever checkout runs 'up'.
        var manifests = environment.Manifests(JupyterToken.New());

        var ownership = new NamespaceOwnership(connection, environment.Spec.Name, environment.Namespace);
        var inventory = new Inventory(connection, environment.Spec.Name, environment.Namespace);
        var rendered = environment.Refs(manifests);

        // Wave 1: every read up needs is sent at once, and nothing is written before all of them are judged.
        // doctor's cheap checks (permissions, storage class, DNS, notebook capacity, quota, LimitRange) make a doomed
        // up fail with all its reasons; the permission check knows from the namespace read whether the namespace
        // must be created; a StorageClass of the rendered name that Kindling did not create refuses up; the
        // inventory (listed once) tells created/configured/unchanged and what to prune; discovery says whether
        // the PodMonitor API is served.
        var namespaceRead = ownership.InspectAsync(cancellationToken);
        var preflight = DoctorPreflight.RunAsync(environment, manifests, namespaceRead, cancellationToken);
        var storageCheck = new NotebookStorageCheck(connection).EnsureAsync(manifests, environment.Spec.Name, environment.Namespace, progress, cancellationToken);
        var liveRead = LiveObjects.ReadAsync(connection, inventory, rendered, progress, cancellationToken);
        var podMonitorRead = MetricsMonitor.HasPodMonitorApiAsync(connection, cancellationToken);
        await Waves.SettleAsync([namespaceRead, preflight, storageCheck, liveRead, podMonitorRead]).ConfigureAwait(false);
        await preflight.ConfigureAwait(false);
        await storageCheck.ConfigureAwait(false);
        var namespaceState = await namespaceRead.ConfigureAwait(false);
        var live = await liveRead.ConfigureAwait(false);
        var podMonitorServed = await podMonitorRead.ConfigureAwait(false);

        var renderedNamespace = manifests.Select(m => m.Object).OfType<k8s.Models.V1Namespace>().Single();
        var namespaceResult = await ownership.EnsureAsync(namespaceState, renderedNamespace, progress, cancellationToken).ConfigureAwait(false);

        // Before anything starts that writes or reads event logs: Spark and the History Server refuse a missing directory.
        await HistoryStorage.EnsureDirectoriesAsync(environment.Spec, null, progress, cancellationToken).ConfigureAwait(false);

        // One wave per apply phase; no read per object.
        var applier = new ServerSideApplier(connection);
        var applied = (await applier.ApplyAsync(manifests, environment.Namespace, live, progress, cancellationToken).ConfigureAwait(false))
            .Prepend(namespaceResult).ToList();
        // Pruning (from the inventory listed before applying: what the apply created is rendered, never stale) and
        // the PodMonitor are independent of each other: one wave.
        var pruning = inventory.PruneAsync(live.Inventory, rendered, progress, cancellationToken);
        var monitoring = MetricsMonitor.ApplyAsync(connection, environment.Spec, podMonitorServed, progress, cancellationToken);
        await Waves.SettleAsync([pruning, monitoring]).ConfigureAwait(false);
        var pruned = await pruning.ConfigureAwait(false);
        await monitoring.ConfigureAwait(false);

        progress.Report(new ProgressEvent("readiness", ProgressStatus.Started, "waiting for the notebook to become ready"));
        await new ReadinessWaiter(connection).WaitAsync(
            ReadinessTargets.From(manifests, environment.Namespace),
            new ReadinessOptions(options.Timeout, options.FailFastGrace), progress, cancellationToken).ConfigureAwait(false);
        var elapsed = time.GetElapsedTime(started);
        progress.Report(new ProgressEvent("readiness", ProgressStatus.Done, "environment ready", elapsed));
        return new UpResult(environment.Namespace, connection.Target, applied, pruned, elapsed);
    }
}
