using System.Runtime.CompilerServices;
using Amazon.S3;
using k8s;
using Kindling.Cluster;
using Kindling.Configuration;
using Kindling.Spark;

namespace Kindling.Operations.Spark;

/// <summary>Finished applications: the History Server's REST API and the driver-log archive.</summary>
public sealed partial class SparkApplications
{
    /// <summary>At most this many finished applications get their executors read (one request each).</summary>
    private const int FinishedDetailLimit = 100;

    /// <summary>
    /// The applications of the namespace as rows: live ones from their pods and, with
    /// <see cref="SparkListOptions.IncludeFinished"/>, finished ones from the History Server's REST API reached
    /// through the API server's service proxy, merged by application id. Newest first.
    /// </summary>
    /// <exception cref="KindlingException">Finished applications were asked for, and history is off or its server unreachable.</exception>
    public async Task<IReadOnlyList<SparkApplicationSummary>> ListAsync(SparkListOptions list, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(list);
        var live = await ListAsync(cancellationToken).ConfigureAwait(false);
        var recorded = list.IncludeFinished
            ? (await HistoryApplicationsAsync(cancellationToken).ConfigureAwait(false)).ToDictionary(a => a.Id, StringComparer.Ordinal)
            : [];
        var now = options.Time.GetUtcNow();
        var rows = new List<SparkApplicationSummary>();
        foreach (var app in live)
        {
            var attempt = recorded.GetValueOrDefault(app.AppId)?.Latest;
            var duration = attempt is { Completed: true } ? TimeSpan.FromMilliseconds(attempt.Duration)
                : app.CreatedAt is { } created && !app.IsFinished ? now - created : (TimeSpan?)null;
            var reason = app.Reason is null ? null : app.Reason + (app.ExitCode is { } code and not 0 ? $" (exit {code})" : "") + (app.Message is null ? "" : ": " + app.Message);
            var tasks = list.Tasks && app.State == SparkApplicationState.Running ? await TaskCountsAsync(app, cancellationToken).ConfigureAwait(false) : null;
            rows.Add(new SparkApplicationSummary(app.AppId, app.Name, app.State.ToString(), duration, app.ExecutorsRunning, attempt?.SparkUser, reason,
                app.Recorded is null ? "cluster" : "record", tasks, app));
        }

        var finished = recorded.Values.Where(a => !live.Any(l => l.AppId == a.Id))
            .OrderByDescending(a => a.Latest?.StartTimeEpoch ?? 0).ToList();
        using var gate = new SemaphoreSlim(8);
        var details = await Task.WhenAll(finished.Select(async (app, index) =>
        {
            if (index >= FinishedDetailLimit) return (IReadOnlyList<SparkRestExecutor>?)null;
            await gate.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                return await HistoryExecutorsAsync(app.Id, cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                gate.Release();
            }
        })).ConfigureAwait(false);
        for (var i = 0; i < finished.Count; i++) rows.Add(FromHistory(finished[i], details[i]));

        return [.. rows.OrderByDescending(r => r.Live?.CreatedAt?.ToUnixTimeMilliseconds() ?? recorded.GetValueOrDefault(r.AppId)?.Latest?.StartTimeEpoch ?? 0)];
    }

    /// <summary>
    /// Streams the driver log of a live application from its pod, or, when no pod of it is left, the driver log Spark
    /// persisted (<c>spark.driver.log.dfsDir</c>), read from S3. <paramref name="onSource"/> hears which one first.
    /// </summary>
    /// <exception cref="InvalidInputException">No live application and no archived driver log of that id.</exception>
    public async IAsyncEnumerable<string> GetLogsOrArchiveAsync(string app, SparkLogOptions logOptions, Action<SparkLogSource> onSource,
        [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(logOptions);
        ArgumentNullException.ThrowIfNull(onSource);
        var found = await GetAsync(app, cancellationToken).ConfigureAwait(false);
        if (found is not null || logOptions.Executor is not null || options.History is null)
        {
            if (found?.DriverPod is { } pod) onSource(new SparkLogSource(false, $"Pod/{pod}", []));
            await foreach (var line in GetLogsAsync(app, logOptions, cancellationToken).ConfigureAwait(false)) yield return line;
            yield break;
        }

        var appId = await ResolveFinishedIdAsync(app, cancellationToken).ConfigureAwait(false);
        var location = SparkObservability.DriverLogPath(options.History.DriverLogDir, appId);
        var text = await ReadArchiveAsync(location, cancellationToken).ConfigureAwait(false);
        var driverEnd = await DriverEndAsync(appId, cancellationToken).ConfigureAwait(false);
        if (text is null)
            throw new InvalidInputException("app", driverEnd is null
                ? $"no Spark application '{app}' has pods, and there is no persisted driver log at {location} (it is written when the driver stops; see 'kindling apps --all')"
                // S3A makes an object visible only when its stream is closed, which a SIGKILLed or OOMKilled JVM never does.
                : $"no Spark application '{app}' has pods, and there is no persisted driver log at {location}: Spark uploads it when the driver stops, " +
                  $"and this one was stopped without that chance ({driverEnd}); see docs/history.md");
        var ends = await ExecutorEndsAsync(appId, cancellationToken).ConfigureAwait(false);
        if (driverEnd is not null) ends = [driverEnd, .. ends];
        onSource(new SparkLogSource(true, location, ends));
        var lines = text.Split('\n');
        var count = lines.Length > 0 && lines[^1].Length == 0 ? lines.Length - 1 : lines.Length;
        var start = logOptions.TailLines is { } tail ? Math.Max(0, count - tail) : 0;
        for (var i = start; i < count; i++) yield return lines[i].TrimEnd('\r');
    }

    /// <summary>The History Server's page of an application (its UI rebuilt from the event log), as a path on the server.</summary>
    public static string HistoryUiPath(string appId) => SparkHistoryServer.UiPath(appId);

    /// <summary>A finished application the History Server knows, by id or name; null when it knows none.</summary>
    public async Task<SparkRestApplication?> GetFinishedAsync(string app, CancellationToken cancellationToken)
    {
        var apps = await HistoryApplicationsAsync(cancellationToken).ConfigureAwait(false);
        return apps.FirstOrDefault(a => a.Id == app) ?? apps.Where(a => a.Name == app).OrderByDescending(a => a.Latest?.StartTimeEpoch ?? 0).FirstOrDefault();
    }

    /// <summary>A ready pod of the History Server, to port-forward to.</summary>
    /// <exception cref="KindlingException">History is off, or no History Server pod is ready.</exception>
    public async Task<(string Pod, int Port)> HistoryServerPodAsync(CancellationToken cancellationToken)
    {
        var history = options.History ?? throw new KindlingException(
            "this environment has no History Server: add a bucket to aws.s3Buckets or set history.eventLogDir in kindling.yaml, then run 'kindling up'");
        var service = await connection.TryCallAsync($"read Service/{history.Service}",
            (k, ct) => k.CoreV1.ReadNamespacedServiceAsync(history.Service, Ns, cancellationToken: ct), cancellationToken).ConfigureAwait(false)
            ?? throw new KindlingException($"the History Server's Service {history.Service} is not in {Ns}; run 'kindling up'");
        var selector = string.Join(",", (service.Spec?.Selector ?? new Dictionary<string, string>()).Select(p => $"{p.Key}={p.Value}"));
        var pods = await connection.CallAsync($"list the History Server's pods in {Ns}",
            (k, ct) => k.CoreV1.ListNamespacedPodAsync(Ns, labelSelector: selector, cancellationToken: ct), cancellationToken).ConfigureAwait(false);
        var ready = pods.Items.FirstOrDefault(p => p.Metadata.DeletionTimestamp is null &&
            p.Status?.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") == true);
        return ready is null
            ? throw new KindlingException($"no History Server pod is ready in {Ns}; see 'kindling status'")
            : (ready.Metadata.Name, history.Port);
    }

    private async Task<string> ResolveFinishedIdAsync(string app, CancellationToken cancellationToken)
    {
        // An app id is used as it is, so the archive is readable even when the History Server is down.
        if (app.StartsWith("spark-", StringComparison.Ordinal)) return app;
        return (await GetFinishedAsync(app, cancellationToken).ConfigureAwait(false))?.Id
               ?? throw new InvalidInputException("app", $"no Spark application '{app}', live or finished; see 'kindling apps --all'");
    }

    private async Task<IReadOnlyList<SparkRestApplication>> HistoryApplicationsAsync(CancellationToken cancellationToken)
    {
        var history = options.History ?? throw new KindlingException(
            "finished applications come from the History Server, and this environment has none: " +
            "add a bucket to aws.s3Buckets or set history.eventLogDir in kindling.yaml, then run 'kindling up'");
        string body;
        try
        {
            body = await new ServiceProxy(connection).GetAsync(Ns, history.Service, history.Port, SparkRestApi.ApplicationsPath, cancellationToken).ConfigureAwait(false);
        }
        catch (KubernetesApiException e) when (e.StatusCode is 404 or 503)
        {
            throw new KindlingException($"the History Server ({history.Service} in {Ns}) is not reachable ({e.Message}); run 'kindling up' and check 'kindling status'", e);
        }
        return SparkRestApi.ParseApplications(body);
    }

    private async Task<IReadOnlyList<SparkRestExecutor>?> HistoryExecutorsAsync(string appId, CancellationToken cancellationToken)
    {
        if (options.History is not { } history) return null;
        try
        {
            return SparkRestApi.ParseExecutors(await new ServiceProxy(connection)
                .GetAsync(Ns, history.Service, history.Port, SparkRestApi.AllExecutorsPath(appId), cancellationToken).ConfigureAwait(false));
        }
        catch (KubernetesApiException)
        {
            return null; // details are best effort; the row stays without them
        }
    }

    private async Task<IReadOnlyList<string>> ExecutorEndsAsync(string appId, CancellationToken cancellationToken)
    {
        var executors = await HistoryExecutorsAsync(appId, cancellationToken).ConfigureAwait(false) ?? [];
        return [.. executors.Where(e => !e.IsDriver && !string.IsNullOrWhiteSpace(e.RemoveReason))
            .Select(e => $"executor {e.Id}: {e.RemoveReason!.Trim().ReplaceLineEndings(" ")}")];
    }

    /// <summary>How the driver ended, from the record Kindling kept before its pod went; null when none was kept.</summary>
    private async Task<string?> DriverEndAsync(string appId, CancellationToken cancellationToken)
    {
        if (options.EnvironmentName is not { } environment) return null;
        var kept = await new SparkExitLedger(connection, Ns, environment).ReadAsync(cancellationToken).ConfigureAwait(false);
        if (!kept.TryGetValue(appId, out var record)) return null;
        var message = record.Message is null ? "" : $": {record.Message}";
        return $"driver: {SparkExitRecords.Describe(record.State, record.Reason, record.ExitCode)}{message}";
    }

    private async Task<string?> ReadArchiveAsync(string location, CancellationToken cancellationToken)
    {
        var bucket = S3Buckets.OfS3aUri(location)!;
        var key = location["s3a://".Length..][(bucket.Length + 1)..];
        using var s3 = options.S3Client?.Invoke() ?? throw new InvalidOperationException($"{nameof(SparkApplicationsOptions.S3Client)} is required to read archived driver logs");
        try
        {
            using var response = await s3.GetObjectAsync(bucket, key, cancellationToken).ConfigureAwait(false);
            using var reader = new StreamReader(response.ResponseStream);
            return await reader.ReadToEndAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (AmazonS3Exception e) when (e.StatusCode == System.Net.HttpStatusCode.NotFound)
        {
            return null;
        }
        catch (AmazonS3Exception e)
        {
            throw new KindlingException($"reading {location} failed: {e.ErrorCode ?? e.StatusCode.ToString()} ({e.Message})", e);
        }
        catch (Amazon.Runtime.AmazonClientException e)
        {
            throw new KindlingException($"reading {location} failed: {e.Message} (check your AWS credentials and aws.endpoint)", e);
        }
    }

    private async Task<SparkTaskCounts?> TaskCountsAsync(SparkApplication app, CancellationToken cancellationToken)
    {
        var service = app.ClientMode ? options.History?.NotebookDriverService : await DriverServiceOfAsync(app.AppId, cancellationToken).ConfigureAwait(false);
        var port = options.History?.UiPort ?? options.Target?.UiPort ?? 4040;
        if (service is null) return null;
        try
        {
            var executors = SparkRestApi.ParseExecutors(await new ServiceProxy(connection)
                .GetAsync(Ns, service, port, SparkRestApi.ExecutorsPath(app.AppId), cancellationToken).ConfigureAwait(false));
            var workers = executors.Where(e => !e.IsDriver).ToList();
            return new SparkTaskCounts(workers.Sum(e => e.ActiveTasks), workers.Sum(e => e.CompletedTasks), workers.Sum(e => e.FailedTasks), workers.Count);
        }
        catch (KubernetesApiException)
        {
            return null; // the UI is not up yet, or the caller may not use the proxy: the row shows no counters
        }
    }

    private async Task<string?> DriverServiceOfAsync(string appId, CancellationToken cancellationToken)
    {
        // The headless driver Service selects the driver pod by its app id label (Spark's DriverServiceFeatureStep).
        var services = await connection.CallAsync($"list Services in {Ns}",
            (k, ct) => k.CoreV1.ListNamespacedServiceAsync(Ns, cancellationToken: ct), cancellationToken).ConfigureAwait(false);
        return services.Items.FirstOrDefault(s => s.Spec?.Selector?.TryGetValue(SparkConventions.AppIdLabel, out var id) == true && id == appId)?.Metadata.Name;
    }

    private static SparkApplicationSummary FromHistory(SparkRestApplication app, IReadOnlyList<SparkRestExecutor>? executors)
    {
        var attempt = app.Latest;
        var workers = executors?.Where(e => !e.IsDriver).ToList();
        // Spark's Kubernetes backend writes the container's exit into the removal reason; a clean end has none.
        var failure = workers?.Select(e => e.RemoveReason).FirstOrDefault(r => r is not null && r.Contains("exit code", StringComparison.Ordinal) && !r.Contains("exit code 0", StringComparison.Ordinal));
        var (state, reason) = attempt is { Completed: true }
            ? ("Completed", failure?.Trim().ReplaceLineEndings(" "))
            : ("Incomplete", "the driver stopped without recording the application's end (killed, OOMKilled or crashed); see 'kindling logs " + app.Id + "'");
        var duration = attempt is null ? (TimeSpan?)null : TimeSpan.FromMilliseconds(attempt.Duration);
        return new SparkApplicationSummary(app.Id, app.Name, state, duration, workers?.Count ?? 0, attempt?.SparkUser, reason, "history", null, null);
    }
}
