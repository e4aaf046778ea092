using System.Runtime.CompilerServices;
using System.Threading.Channels;
using k8s;
using k8s.Models;
using Kindling.Cluster;
using Kindling.Spark;

namespace Kindling.Operations.Spark;

/// <summary>
/// Submits, follows and stops Spark applications in one namespace: the .NET surface under
/// <c>kindling submit/apps/logs/kill</c>, for services that run Spark work without a JVM or spark-submit.
/// Applications are recognised by the <c>spark-app-selector</c> label, whoever submitted them.
/// </summary>
public sealed partial class SparkApplications
{
    private readonly KubeConnection connection;
    private readonly SparkApplicationsOptions options;

    /// <summary>Creates a client over an open connection.</summary>
    public SparkApplications(KubeConnection connection, SparkApplicationsOptions options)
    {
        this.connection = connection;
        this.options = options;
    }

    private string Ns => options.Namespace;

    /// <summary>
    /// Validates the application, reads its local files and builds every object, without contacting the
    /// cluster or the object store. Used for <c>--dry-run</c> and to show pod sizes before submitting.
    /// </summary>
    /// <exception cref="InvalidInputException">The spec is invalid or a local file is missing; nothing was sent anywhere.</exception>
    public SparkSubmitPlan Plan(SparkApplicationSpec spec) => Plan(spec, options);

    /// <inheritdoc cref="Plan(SparkApplicationSpec)"/>
    public static SparkSubmitPlan Plan(SparkApplicationSpec spec, SparkApplicationsOptions options) => SparkSubmitter.Plan(spec, options);

    /// <summary>Submits an application in cluster mode: <see cref="Plan(SparkApplicationSpec)"/>, then <see cref="SubmitAsync(SparkSubmitPlan, CancellationToken)"/>.</summary>
    /// <param name="spec">The application.</param>
    /// <param name="cancellationToken">Cancels the submission.</param>
    /// <returns>What was created.</returns>
    public Task<SparkSubmitResult> SubmitAsync(SparkApplicationSpec spec, CancellationToken cancellationToken) =>
        SubmitAsync(Plan(spec), cancellationToken);

    /// <summary>
    /// Uploads large local files, creates the driver pod, then its ConfigMaps and Service with an owner
    /// reference to it. Safe against lost responses: see <see cref="SparkSubmitter"/>.
    /// </summary>
    public Task<SparkSubmitResult> SubmitAsync(SparkSubmitPlan plan, CancellationToken cancellationToken) =>
        new SparkSubmitter(connection, options).SubmitAsync(plan, cancellationToken);

    /// <summary>Every Spark application of the namespace (driver pods and notebook sessions), oldest first.</summary>
    public async Task<IReadOnlyList<SparkApplication>> ListAsync(CancellationToken cancellationToken)
    {
        var pods = await ListPodsAsync(SparkConventions.AppIdLabel, cancellationToken).ConfigureAwait(false);
        var apps = SparkApplicationStates.FromPods(pods);
        var incomplete = await FindIncompleteAsync(apps, pods, cancellationToken).ConfigureAwait(false);
        return incomplete.Count == 0
            ? apps
            : apps.Select(a => incomplete.TryGetValue(a.AppId, out var map) ? SparkIncompleteSubmissions.MarkFailed(a, map) : a).ToList();
    }

    /// <summary>
    /// App id → missing ConfigMap, for driver pods overdue for their conf ConfigMap. Reads one ConfigMap per
    /// candidate, and candidates are only pods stuck before starting past the grace period, so a healthy
    /// namespace costs no extra request.
    /// </summary>
    private async Task<IReadOnlyDictionary<string, string>> FindIncompleteAsync(IReadOnlyList<SparkApplication> apps, IReadOnlyList<V1Pod> pods, CancellationToken cancellationToken)
    {
        var result = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var app in SparkIncompleteSubmissions.Candidates(apps, options.Time.GetUtcNow(), options.IncompleteSubmissionGrace))
        {
            var driver = pods.FirstOrDefault(p => p.Metadata.Name == app.DriverPod);
            if (driver is null || SparkIncompleteSubmissions.ConfConfigMapOf(driver) is not { } mapName) continue;
            var map = await connection.TryCallAsync($"read ConfigMap/{mapName}",
                (k, ct) => k.CoreV1.ReadNamespacedConfigMapAsync(mapName, Ns, cancellationToken: ct), cancellationToken).ConfigureAwait(false);
            if (map is null) result[app.AppId] = mapName;
        }
        return result;
    }

    /// <summary>
    /// One application by app id, driver pod name or application name; null when there is none.
    /// </summary>
    /// <exception cref="InvalidInputException">The name matches several applications.</exception>
    public async Task<SparkApplication?> GetAsync(string app, CancellationToken cancellationToken) =>
        Match(await ListAsync(cancellationToken).ConfigureAwait(false), app);

    /// <summary>
    /// Follows every application of the namespace through ONE watch on <c>spark-app-selector</c>: first the
    /// current state of each, then every change. Survives dropped connections (resuming from the last
    /// resourceVersion) and expired versions (410 Gone: listing again). Never polls per application.
    /// </summary>
    public async IAsyncEnumerable<SparkApplication> WatchAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var channel = Channel.CreateUnbounded<SparkApplication>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        var tracker = new SparkTracker();
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var loop = RunWatchAsync(tracker, channel.Writer, stop.Token);
        try
        {
            await foreach (var app in channel.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
                yield return app;
        }
        finally
        {
            await stop.CancelAsync().ConfigureAwait(false);
            await loop.ConfigureAwait(false);
        }
    }

    private async Task RunWatchAsync(SparkTracker tracker, ChannelWriter<SparkApplication> writer, CancellationToken cancellationToken)
    {
        Exception? failure = null;
        try
        {
            await ResilientWatch.RunAsync(connection, PodSource(SparkConventions.AppIdLabel),
                pods => { foreach (var app in tracker.Replace(pods)) writer.TryWrite(app); },
                (type, pod) => { if (tracker.Apply(type, pod) is { } app) writer.TryWrite(app); },
                cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (Exception e)
        {
            failure = e;
        }
        writer.TryComplete(failure);
    }

    /// <summary>Waits until the application has finished and returns its final state; <paramref name="onChange"/> sees every change.</summary>
    public async Task<SparkApplication> WaitForCompletionAsync(string appId, Action<SparkApplication>? onChange, CancellationToken cancellationToken)
    {
        await foreach (var app in WatchAsync(cancellationToken).ConfigureAwait(false))
        {
            if (app.AppId != appId) continue;
            onChange?.Invoke(app);
            if (app.IsFinished) return app;
        }
        throw new OperationCanceledException(cancellationToken);
    }

    /// <summary>Streams the log of the driver (or one executor) line by line.</summary>
    /// <exception cref="InvalidInputException">No such application or executor.</exception>
    public async IAsyncEnumerable<string> GetLogsAsync(string app, SparkLogOptions logOptions, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var (pod, container) = await ResolvePodAsync(app, logOptions.Executor, cancellationToken).ConfigureAwait(false);
        if (logOptions.Follow && logOptions.Executor is null)
        {
            // A container that has not started has no log yet (the API answers 400); following waits for it.
            var current = await GetAsync(app, cancellationToken).ConfigureAwait(false);
            if (current is { State: SparkApplicationState.Submitted or SparkApplicationState.Pending })
                await foreach (var changed in WatchAsync(cancellationToken).ConfigureAwait(false))
                    if (changed.AppId == current.AppId && (changed.State == SparkApplicationState.Running || changed.IsFinished))
                        break;
        }
        var stream = await connection.CallAsync($"read the log of Pod/{pod}",
            (k, ct) => k.CoreV1.ReadNamespacedPodLogAsync(pod, Ns, container: container, follow: logOptions.Follow, tailLines: logOptions.TailLines, cancellationToken: ct),
            cancellationToken).ConfigureAwait(false);
        using var reader = new StreamReader(stream);
        while (await ReadLineAsync(reader, cancellationToken).ConfigureAwait(false) is { } line)
            yield return line;
    }

    private static async Task<string?> ReadLineAsync(StreamReader reader, CancellationToken cancellationToken)
    {
        try
        {
            return await reader.ReadLineAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (IOException) when (!cancellationToken.IsCancellationRequested)
        {
            return null; // the server closed a followed stream: the container exited
        }
    }

    /// <summary>How the driver (or executor) container ended; null while it has not terminated.</summary>
    public async Task<SparkContainerTermination?> GetTerminationAsync(string app, int? executor, CancellationToken cancellationToken)
    {
        var (podName, container) = await ResolvePodAsync(app, executor, cancellationToken).ConfigureAwait(false);
        var pod = await connection.TryCallAsync($"read Pod/{podName}", (k, ct) => k.CoreV1.ReadNamespacedPodAsync(podName, Ns, cancellationToken: ct), cancellationToken)
            .ConfigureAwait(false);
        var status = pod?.Status?.ContainerStatuses?.FirstOrDefault(s => s.Name == container);
        return status?.State?.Terminated is { } t
            ? new SparkContainerTermination(podName, t.Reason ?? (t.ExitCode == 0 ? "Completed" : "Error"), t.ExitCode, string.IsNullOrWhiteSpace(t.Message) ? null : t.Message)
            : null;
    }

    /// <summary>
    /// Stops an application: deletes its driver pod (owner references make the garbage collector remove the
    /// ConfigMaps, Service and executors), or a notebook session's executors, then waits until no pod of the
    /// application is left.
    /// </summary>
    /// <exception cref="InvalidInputException">No such application.</exception>
    public async Task<SparkApplication> KillAsync(string app, CancellationToken cancellationToken)
    {
        var found = await GetAsync(app, cancellationToken).ConfigureAwait(false) ?? throw NotFound(app);
        var selector = $"{SparkConventions.AppIdLabel}={found.AppId}";
        if (!found.ClientMode && found.DriverPod is { } driver)
        {
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

    private async Task WaitUntilNoPodsAsync(string selector, CancellationToken cancellationToken)
    {
        var remaining = new HashSet<string>(StringComparer.Ordinal);
        var gone = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var watch = ResilientWatch.RunAsync(connection, PodSource(selector),
            pods =>
            {
                remaining.Clear();
                foreach (var p in pods) remaining.Add(p.Metadata.Name);
                if (remaining.Count == 0) gone.TrySetResult();
            },
            (type, pod) =>
            {
                if (type == WatchEventType.Deleted) remaining.Remove(pod.Metadata.Name);
                else remaining.Add(pod.Metadata.Name);
                if (remaining.Count == 0) gone.TrySetResult();
            },
            stop.Token);
        var first = await Task.WhenAny(gone.Task, watch).ConfigureAwait(false);
        await stop.CancelAsync().ConfigureAwait(false);
        try
        {
            await watch.ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (first == gone.Task || cancellationToken.IsCancellationRequested)
        {
        }
        cancellationToken.ThrowIfCancellationRequested();
    }

    /// <summary>Executor pods whose driver or notebook pod is gone, and driver pods whose ConfigMap never appeared.</summary>
    public async Task<IReadOnlyList<OrphanExecutor>> ListOrphansAsync(CancellationToken cancellationToken)
    {
        var pods = await ListPodsAsync(null, cancellationToken).ConfigureAwait(false);
        var orphans = SparkOrphans.Find(pods, options.NotebookPodPrefix).ToList();
        var sparkPods = pods.Where(p => SparkApplicationStates.AppIdOf(p) is not null).ToList();
        var incomplete = await FindIncompleteAsync(SparkApplicationStates.FromPods(sparkPods), sparkPods, cancellationToken).ConfigureAwait(false);
        foreach (var driver in sparkPods.Where(p => SparkApplicationStates.RoleOf(p) == SparkConventions.DriverRole))
            if (incomplete.TryGetValue(SparkApplicationStates.AppIdOf(driver)!, out var map))
                orphans.Add(new OrphanExecutor(driver.Metadata.Name, SparkApplicationStates.AppIdOf(driver)!, map, OrphanReason.ConfigMapMissing));
        return orphans.OrderBy(o => o.Pod, StringComparer.Ordinal).ToList();
    }

    /// <summary>Deletes orphaned executor pods and returns them.</summary>
    public async Task<IReadOnlyList<OrphanExecutor>> DeleteOrphansAsync(CancellationToken cancellationToken)
    {
        var orphans = await ListOrphansAsync(cancellationToken).ConfigureAwait(false);
        await Task.WhenAll(orphans.Select(o => connection.TryCallAsync($"delete Pod/{o.Pod}",
            (k, ct) => k.CoreV1.DeleteNamespacedPodAsync(o.Pod, Ns, cancellationToken: ct), cancellationToken))).ConfigureAwait(false);
        foreach (var o in orphans) options.Progress.Report(new ProgressEvent($"Pod/{o.Pod}", ProgressStatus.Changed, "deleted"));
        return orphans;
    }

    private async Task<(string Pod, string Container)> ResolvePodAsync(string app, int? executor, CancellationToken cancellationToken)
    {
        var found = await GetAsync(app, cancellationToken).ConfigureAwait(false) ?? throw NotFound(app);
        if (executor is null)
        {
            if (found.ClientMode || found.DriverPod is null)
                throw new InvalidInputException("app", $"{found.AppId} is a client-mode session whose driver is {found.DriverPod ?? "outside the cluster"}; pass --executor N");
            return (found.DriverPod, SparkConventions.DriverContainerName);
        }
        var selector = $"{SparkConventions.AppIdLabel}={found.AppId},{SparkConventions.ExecutorIdLabel}={executor}";
        var pods = await ListPodsAsync(selector, cancellationToken).ConfigureAwait(false);
        var pod = pods.FirstOrDefault() ?? throw new InvalidInputException("--executor", $"{found.AppId} has no executor {executor} (now)");
        var container = pod.Spec?.Containers?.FirstOrDefault(c => c.Name == SparkConventions.ExecutorContainerName)?.Name
                        ?? pod.Spec?.Containers?.FirstOrDefault()?.Name ?? SparkConventions.ExecutorContainerName;
        return (pod.Metadata.Name, container);
    }

    private static SparkApplication? Match(IReadOnlyList<SparkApplication> apps, string app)
    {
        var exact = apps.FirstOrDefault(a => a.AppId == app || a.DriverPod == app);
        if (exact is not null) return exact;
        var byName = apps.Where(a => a.Name == app || a.Name == SparkNames.AppNameLabelValue(app)).ToList();
        if (byName.Count > 1)
            throw new InvalidInputException("app", $"'{app}' names {byName.Count} applications; use an app id: {string.Join(", ", byName.Select(a => a.AppId))}");
        return byName.SingleOrDefault();
    }

    private InvalidInputException NotFound(string app) =>
        new("app", $"no Spark application '{app}' in namespace {Ns} (by app id, driver pod or name); see 'kindling apps'");

    private async Task<IReadOnlyList<V1Pod>> ListPodsAsync(string? selector, CancellationToken cancellationToken)
    {
        var list = await connection.CallAsync($"list pods {selector} in {Ns}".Replace("  ", " ", StringComparison.Ordinal),
            (k, ct) => k.CoreV1.ListNamespacedPodAsync(Ns, labelSelector: selector, cancellationToken: ct), cancellationToken).ConfigureAwait(false);
        return list.Items.ToList();
    }

    private WatchSource<V1Pod> PodSource(string selector) => new($"pods {selector} in {Ns}",
        async (k, ct) =>
        {
            var list = await k.CoreV1.ListNamespacedPodAsync(Ns, labelSelector: selector, cancellationToken: ct).ConfigureAwait(false);
            return (list.Items.ToList(), list.Metadata?.ResourceVersion ?? "");
        },
        (k, rv, onError, ct) => k.CoreV1.WatchListNamespacedPodAsync(Ns, labelSelector: selector, allowWatchBookmarks: true, resourceVersion: rv, onError: onError, cancellationToken: ct));
}
