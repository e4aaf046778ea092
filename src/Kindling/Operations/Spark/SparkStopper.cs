using System.Runtime.CompilerServices;
using System.Threading.Channels;
using k8s;
using k8s.Models;
using Kindling.Cluster;
using Kindling.Spark;

namespace Kindling.Operations.Spark;

/// <summary>Stops applications and removes what their drivers left behind.</summary>
internal sealed class SparkStopper(KubeConnection connection, SparkApplicationsOptions options)
{
    private string Ns => options.Namespace;
    private readonly SparkApplicationQueries queries = new(connection, options);

    /// <summary>
    /// Stops an application: deletes its driver pod (owner references make the garbage collector remove the
    /// ConfigMaps, Service and executors), or a notebook session's executors, then waits until no pod of the
    /// application is left.
    /// </summary>
    /// <exception cref="InvalidInputException">No such application.</exception>
    internal async Task<SparkApplication> KillAsync(string app, CancellationToken cancellationToken)
    {
        var found = await queries.GetAsync(app, cancellationToken).ConfigureAwait(false) ?? throw queries.NotFound(app);
        var selector = $"{SparkConventions.AppIdLabel}={found.AppId}";
        if (!found.ClientMode && found.DriverPod is { } driver)
        {
            // The driver container's exit lives only in the pod's status: keep it before the pod goes.
            if (options.EnvironmentName is { } environment && SparkExitRecords.Stopping(found, options.Time.GetUtcNow()) is { } record)
            {
                var ledger = new SparkExitLedger(connection, Ns, environment);
                await ledger.RecordAsync([record], await ledger.ReadAsync(cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
            }
            options.Progress.Report(new ProgressEvent($"Pod/{driver}", ProgressStatus.Started, "deleting the driver pod"));
            await connection.TryCallAsync($"delete Pod/{driver}",
                (k, ct) => k.CoreV1.DeleteNamespacedPodAsync(driver, Ns, propagationPolicy: "Background", cancellationToken: ct),
                cancellationToken).ConfigureAwait(false);
        }
        else
        {
            options.Progress.Report(new ProgressEvent(found.AppId, ProgressStatus.Started, "deleting the session's executors"));
            await connection.CallAsync($"delete pods {selector}",
                (k, ct) => k.CoreV1.DeleteCollectionNamespacedPodAsync(Ns, labelSelector: selector, propagationPolicy: "Background", cancellationToken: ct),
                cancellationToken).ConfigureAwait(false);
        }
        options.Progress.Report(new ProgressEvent(found.AppId, ProgressStatus.Waiting, "waiting until its executors are gone"));
        await WaitUntilNoPodsAsync(selector, cancellationToken).ConfigureAwait(false);
        options.Progress.Report(new ProgressEvent(found.AppId, ProgressStatus.Done, "killed"));
        return found;
    }

    // The inventory's watch-based wait, shared with 'down': no timeout here, Ctrl+C ends the wait and the
    // deletion already sent carries on in the cluster.
    private Task WaitUntilNoPodsAsync(string selector, CancellationToken cancellationToken) =>
        Inventory.WaitUntilGoneAsync(connection, new GoneTargets(Ns, [], [selector]), Timeout.InfiniteTimeSpan, "run 'kindling kill' again",
            new Progress<ProgressEvent>(), cancellationToken);

    /// <summary>Executor pods whose driver or notebook pod is gone, and driver pods whose ConfigMap never appeared.</summary>
    internal async Task<IReadOnlyList<OrphanExecutor>> ListOrphansAsync(CancellationToken cancellationToken)
    {
        var pods = await queries.ListPodsAsync(null, cancellationToken).ConfigureAwait(false);
        var orphans = SparkOrphans.Find(pods, options.NotebookPodPrefix).ToList();
        var sparkPods = pods.Where(p => SparkApplicationStates.AppIdOf(p) is not null).ToList();
        var incomplete = await queries.FindIncompleteAsync(SparkApplicationStates.FromPods(sparkPods), sparkPods, cancellationToken).ConfigureAwait(false);
        foreach (var driver in sparkPods.Where(p => SparkApplicationStates.RoleOf(p) == SparkConventions.DriverRole))
            if (incomplete.TryGetValue(SparkApplicationStates.AppIdOf(driver)!, out var map))
                orphans.Add(new OrphanExecutor(driver.Metadata.Name, SparkApplicationStates.AppIdOf(driver)!, map, OrphanReason.ConfigMapMissing));
        return orphans.OrderBy(o => o.Pod, StringComparer.Ordinal).ToList();
    }

    /// <summary>Deletes orphaned executor pods and returns them.</summary>
    internal async Task<IReadOnlyList<OrphanExecutor>> DeleteOrphansAsync(CancellationToken cancellationToken)
    {
        var orphans = await ListOrphansAsync(cancellationToken).ConfigureAwait(false);
        await Task.WhenAll(orphans.Select(o => connection.TryCallAsync($"delete Pod/{o.Pod}",
            (k, ct) => k.CoreV1.DeleteNamespacedPodAsync(o.Pod, Ns, cancellationToken: ct), cancellationToken))).ConfigureAwait(false);
        foreach (var o in orphans) options.Progress.Report(new ProgressEvent($"Pod/{o.Pod}", ProgressStatus.Changed, "deleted"));
        return orphans;
    }
}
