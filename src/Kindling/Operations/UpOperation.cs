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
    public bool Unchanged => Objects.All(o => o.Action == ApplyAction.Unchanged) && Pruned.All(p => p.Action == ApplyAction.Kept);
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

        var token = JupyterToken.Ensure(environment.StateStore);
        environment.StateChanged();
        var manifests = environment.Manifests(token);
        var connection = environment.Connection;

        // doctor's cheap checks (permissions, storage class, DNS, notebook capacity, quota, LimitRange) first, so a
        // doomed up fails with all its reasons before anything is applied.
        await DoctorPreflight.RunAsync(environment, manifests, cancellationToken).ConfigureAwait(false);

        // Before anything starts that writes or reads event logs: Spark and the History Server refuse a missing directory.
        await HistoryStorage.EnsureDirectoriesAsync(environment.Spec, null, progress, cancellationToken).ConfigureAwait(false);

        var applier = new ServerSideApplier(connection);
        var applied = await applier.ApplyAsync(manifests, environment.Namespace, progress, cancellationToken).ConfigureAwait(false);
        var pruned = await applier.PruneAsync(environment.Spec.Name, environment.Namespace, environment.Refs(manifests), progress, cancellationToken)
            .ConfigureAwait(false);

        await MetricsMonitor.ApplyAsync(connection, environment.Spec, progress, cancellationToken).ConfigureAwait(false);

        progress.Report(new ProgressEvent("readiness", ProgressStatus.Started, "waiting for the notebook to become ready"));
        await new ReadinessWaiter(connection).WaitAsync(
            ReadinessTargets.From(manifests, environment.Namespace),
            new ReadinessOptions(options.Timeout, options.FailFastGrace), progress, cancellationToken).ConfigureAwait(false);
        var elapsed = time.GetElapsedTime(started);
        progress.Report(new ProgressEvent("readiness", ProgressStatus.Done, "environment ready", elapsed));
        return new UpResult(environment.Namespace, connection.Target, applied, pruned, elapsed);
    }
}
