using Kindling.Cluster;
using Kindling.Configuration;

namespace Kindling.Operations;

/// <summary>Options of <c>kindling up</c>.</summary>
public sealed record UpOptions
{
    /// <summary>Config, cluster and image resolution.</summary>
    public required ClusterOptions Cluster { get; init; }

    /// <summary>How long to wait for readiness (<c>--timeout</c>).</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>How long a pod may sit in ImagePullBackOff, CrashLoopBackOff ... before <c>up</c> gives up early.</summary>
    public TimeSpan FailFastGrace { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>Receives a report per object and per readiness change.</summary>
    public IProgress<ProgressEvent>? Progress { get; init; }
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
    public static async Task<UpResult> RunAsync(UpOptions options, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(options);
        var progress = options.Progress ?? new Progress<ProgressEvent>();
        var time = options.Cluster.Time;
        var started = time.GetTimestamp();

        var token = JupyterToken.Ensure(ClusterEnvironment.Store(options.Cluster));
        using var connection = KubeConnection.Open(options.Cluster.Connection with { Time = time });
        var environment = ClusterEnvironment.Render(options.Cluster, token, connection.Target.Server);

        progress.Report(new ProgressEvent("permissions", ProgressStatus.Started, $"checking access to {environment.Namespace} on {connection.Target}"));
        var needed = PermissionCheck.ForUp(environment.Manifests.Select(m => m.Object.Kind), environment.Namespace);
        await new PermissionCheck(connection).EnsureAsync(needed, "kindling up", cancellationToken).ConfigureAwait(false);
        progress.Report(new ProgressEvent("permissions", ProgressStatus.Done, $"{needed.Count} permissions granted"));

        await new NotebookStorageCheck(connection).EnsureAsync(environment.Manifests, environment.Spec.Name, environment.Namespace, progress, cancellationToken)
            .ConfigureAwait(false);

        var applier = new ServerSideApplier(connection);
        var applied = await applier.ApplyAsync(environment.Manifests, environment.Namespace, progress, cancellationToken).ConfigureAwait(false);
        var pruned = await applier.PruneAsync(environment.Spec.Name, environment.Namespace, environment.Refs(), progress, cancellationToken)
            .ConfigureAwait(false);

        progress.Report(new ProgressEvent("readiness", ProgressStatus.Started, "waiting for the notebook to become ready"));
        await new ReadinessWaiter(connection).WaitAsync(
            ReadinessTargets.From(environment.Manifests, environment.Namespace),
            new ReadinessOptions(options.Timeout, options.FailFastGrace), progress, cancellationToken).ConfigureAwait(false);
        var elapsed = time.GetElapsedTime(started);
        progress.Report(new ProgressEvent("readiness", ProgressStatus.Done, "environment ready", elapsed));
        return new UpResult(environment.Namespace, connection.Target, applied, pruned, elapsed);
    }
}
