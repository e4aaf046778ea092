using System.Globalization;
using k8s;
using k8s.Models;
using Kindling.Cluster;
using Kindling.Operations.Spark;
using Kindling.Spark;

namespace Kindling.Operations.Verify;

/// <summary>A stage's check did not hold: the reason, and the log lines that explain it.</summary>
internal sealed class VerifyStageFailedException(string reason, IReadOnlyList<string>? logs = null, IReadOnlyList<string>? checks = null) : KindlingException(reason)
{
    public IReadOnlyList<string> Logs { get; } = logs ?? [];

    /// <summary>What the stage did prove before it failed.</summary>
    public IReadOnlyList<string> Checks { get; } = checks ?? [];
}

/// <summary>A stage that has nothing to check in this environment.</summary>
internal sealed class VerifyStageSkippedException(string reason) : KindlingException(reason);

/// <summary>What the stages of one run share: the environment, the run's id, and what it created.</summary>
internal sealed class VerifyRun
{
    /// <summary>The label on every pod the run creates (drivers through <c>spark.kubernetes.driver.label.*</c>, executors through <c>spark.kubernetes.executor.label.*</c>).</summary>
    public const string RunLabel = "kindling.dev/verify-run";

    /// <summary>Lines of a pod's log that explain a failure.</summary>
    public const int LogTail = 30;

    public VerifyRun(EnvironmentContext environment, VerifyOptions options)
    {
        Environment = environment;
        Options = options;
        var now = environment.Time.GetUtcNow();
        // Sortable by time, unique across concurrent runs; lowercase so it fits label values and pod names.
        RunId = now.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture) + "-" + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(2));
    }

    public EnvironmentContext Environment { get; }

    public VerifyOptions Options { get; }

    public string RunId { get; }

    public string Ns => Environment.Namespace;

    public KubeConnection Connection => Environment.Connection;

    /// <summary>Every Spark application the run started (notebook session included), by stage order.</summary>
    public List<string> Applications { get; } = [];

    /// <summary>The submitted applications, by role (<c>pi-python</c>, <c>pi-jvm</c>, <c>parquet</c>).</summary>
    public Dictionary<string, SparkSubmitResult> Submitted { get; } = new(StringComparer.Ordinal);

    /// <summary>The notebook session's application id, once the kernel reported it.</summary>
    public string? NotebookAppId { get; set; }

    /// <summary>Where the run writes files it ships (owner-only, deleted at clean-up).</summary>
    public string LocalDirectory => Path.Combine(Path.GetTempPath(), $"kindling-verify-{RunId}");

    /// <summary>The application name of a role, unique to this run.</summary>
    public string AppName(string role) => $"kindling-verify-{role}-{RunId}";

    /// <summary>Conf that labels the run's driver and executor pods.</summary>
    public IReadOnlyDictionary<string, string> LabelConf => new Dictionary<string, string>(StringComparer.Ordinal)
    {
        [SparkConfKeys.DriverLabelPrefix + RunLabel] = RunId,
        [SparkConfKeys.ExecutorLabelPrefix + RunLabel] = RunId,
    };

    public SparkApplications Apps => apps ??= SparkEnvironment.Open(Environment);

    private SparkApplications? apps;

    public void Report(string stage, ProgressStatus status, string message) => Environment.Progress.Report(new ProgressEvent($"verify/{stage}", status, message));

    /// <summary>The last lines of a pod's log, prefixed with its name; a log that cannot be read says why instead.</summary>
    public async Task<IReadOnlyList<string>> LogTailAsync(string pod, string? container, CancellationToken cancellationToken)
    {
        try
        {
            using var stream = await Connection.CallAsync($"read the log of Pod/{pod}",
                (k, ct) => k.CoreV1.ReadNamespacedPodLogAsync(pod, Ns, container: container, tailLines: LogTail, cancellationToken: ct), cancellationToken).ConfigureAwait(false);
            using var reader = new StreamReader(stream);
            var text = await reader.ReadToEndAsync(cancellationToken).ConfigureAwait(false);
            return [.. text.Split('\n').Select(l => l.TrimEnd('\r')).Where(l => l.Length > 0).Select(l => $"{pod}: {l}")];
        }
        catch (KindlingException e)
        {
            return [$"{pod}: (log not readable: {e.Message})"];
        }
    }

    public Task<V1PodList> PodsAsync(string labelSelector, CancellationToken cancellationToken) =>
        Connection.CallAsync($"list pods ({labelSelector}) in {Ns}",
            (k, ct) => k.CoreV1.ListNamespacedPodAsync(Ns, labelSelector: labelSelector, cancellationToken: ct), cancellationToken);

    /// <summary>
    /// Re-checks <paramref name="condition"/> every <see cref="VerifyOptions.PollInterval"/> until it holds or
    /// <paramref name="timeout"/> passes; returns whether it held. A handful of looks per stage, not per-app tracking.
    /// </summary>
    public async Task<bool> WaitUntilAsync(Func<CancellationToken, Task<bool>> condition, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var started = Environment.Time.GetTimestamp();
        while (true)
        {
            if (await condition(cancellationToken).ConfigureAwait(false)) return true;
            if (Environment.Time.GetElapsedTime(started) >= timeout) return false;
            await Task.Delay(Options.PollInterval, Environment.Time, cancellationToken).ConfigureAwait(false);
        }
    }

    public static string Seconds(TimeSpan t) => t.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture) + "s";
}
