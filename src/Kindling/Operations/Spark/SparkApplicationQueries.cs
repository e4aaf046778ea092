using System.Runtime.CompilerServices;
using System.Threading.Channels;
using k8s;
using k8s.Models;
using Kindling.Cluster;
using Kindling.Spark;

namespace Kindling.Operations.Spark;

/// <summary>Lists, finds and watches applications: pods read from the API and grouped by <see cref="SparkApplicationStates"/>.</summary>
internal sealed class SparkApplicationQueries(KubeConnection connection, SparkApplicationsOptions options)
{
    private string Ns => options.Namespace;

    /// <summary>Every Spark application of the namespace (driver pods and notebook sessions), oldest first.</summary>
    internal async Task<IReadOnlyList<SparkApplication>> ListAsync(CancellationToken cancellationToken)
    {
        // Read as pod views: a namespace of thousands of real pods is mostly spec and managedFields nobody here reads.
        var (views, _) = await connection.CallAsync($"list pods {SparkConventions.AppIdLabel} in {Ns}",
            (_, ct) => PodViews.ListAsync(connection.Http, Ns, SparkConventions.AppIdLabel, ct), cancellationToken).ConfigureAwait(false);
        var pods = views.Select(v => v.ToPod(SparkApplicationStates.ReadsAnnotation)).ToList();
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
    internal async Task<IReadOnlyDictionary<string, string>> FindIncompleteAsync(IReadOnlyList<SparkApplication> apps, IReadOnlyList<V1Pod> pods, CancellationToken cancellationToken)
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
    internal async Task<SparkApplication?> GetAsync(string app, CancellationToken cancellationToken) =>
        Match(await ListAsync(cancellationToken).ConfigureAwait(false), app);

    /// <summary>
    /// Follows every application of the namespace through ONE watch on <c>spark-app-selector</c>: first the
    /// current state of each, then every change. Survives dropped connections (resuming from the last
    /// resourceVersion) and expired versions (410 Gone: listing again). Never polls per application.
    /// </summary>
    internal async IAsyncEnumerable<SparkApplication> WatchAsync([EnumeratorCancellation] CancellationToken cancellationToken)
    {
        // Synchronous continuations: a change is handed to the waiting reader on the thread that read the event,
        // instead of costing a thread-pool hop (a wake-up and a spin) per event; a reader that is busy elsewhere
        // still lets changes queue up.
        var channel = Channel.CreateUnbounded<SparkApplication>(new UnboundedChannelOptions
        {
            SingleReader = true, SingleWriter = true, AllowSynchronousContinuations = true,
        });
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
            await ResilientWatch.RunAsync(connection, PodViews.Source(connection, Ns, SparkConventions.AppIdLabel),
                pods => { foreach (var app in tracker.ReplaceViews(pods)) writer.TryWrite(app); },
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
    internal async Task<SparkApplication> WaitForCompletionAsync(string appId, Action<SparkApplication>? onChange, CancellationToken cancellationToken)
    {
        await foreach (var app in WatchAsync(cancellationToken).ConfigureAwait(false))
        {
            if (app.AppId != appId) continue;
            onChange?.Invoke(app);
            if (app.IsFinished) return app;
        }
        throw new OperationCanceledException(cancellationToken);
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

    internal InvalidInputException NotFound(string app) =>
        new("app", $"no Spark application '{app}' in namespace {Ns} (by app id, driver pod or name); see 'kindling apps'");

    internal async Task<IReadOnlyList<V1Pod>> ListPodsAsync(string? selector, CancellationToken cancellationToken)
    {
        var list = await connection.CallAsync($"list pods {selector} in {Ns}".Replace("  ", " ", StringComparison.Ordinal),
            (k, ct) => k.CoreV1.ListNamespacedPodAsync(Ns, labelSelector: selector, cancellationToken: ct), cancellationToken).ConfigureAwait(false);
        return list.Items.ToList();
    }
}
