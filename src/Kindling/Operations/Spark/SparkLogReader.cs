using System.Runtime.CompilerServices;
using System.Threading.Channels;
using k8s;
using k8s.Models;
using Kindling.Cluster;
using Kindling.Spark;

namespace Kindling.Operations.Spark;

/// <summary>Reads the logs and termination of a driver or executor container.</summary>
internal sealed class SparkLogReader(KubeConnection connection, SparkApplicationsOptions options)
{
    private string Ns => options.Namespace;
    private readonly SparkApplicationQueries queries = new(connection, options);

    /// <summary>Streams the log of the driver (or one executor) line by line.</summary>
    /// <exception cref="InvalidInputException">No such application or executor.</exception>
    internal async IAsyncEnumerable<string> GetLogsAsync(string app, SparkLogOptions logOptions, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var (pod, container) = await ResolvePodAsync(app, logOptions.Executor, cancellationToken).ConfigureAwait(false);
        if (logOptions.Follow && logOptions.Executor is null)
        {
            // A container that has not started has no log yet (the API answers 400); following waits for it.
            var current = await queries.GetAsync(app, cancellationToken).ConfigureAwait(false);
            if (current is { State: SparkApplicationState.Submitted or SparkApplicationState.Pending })
                await foreach (var changed in queries.WatchAsync(cancellationToken).ConfigureAwait(false))
                    if (changed.AppId == current.AppId && (changed.State == SparkApplicationState.Running || changed.IsFinished))
                        break;
        }
        var stream = await connection.CallAsync($"read the log of Pod/{pod}",
            (k, ct) => k.CoreV1.ReadNamespacedPodLogAsync(pod, Ns, container: container, follow: logOptions.Follow, tailLines: logOptions.TailLines,
                previous: logOptions.Previous ? true : null, sinceSeconds: logOptions.Since is { } since ? (int)Math.Ceiling(since.TotalSeconds) : null, cancellationToken: ct),
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
    internal async Task<SparkContainerTermination?> GetTerminationAsync(string app, int? executor, CancellationToken cancellationToken)
    {
        var (podName, container) = await ResolvePodAsync(app, executor, cancellationToken).ConfigureAwait(false);
        var pod = await connection.TryCallAsync($"read Pod/{podName}", (k, ct) => k.CoreV1.ReadNamespacedPodAsync(podName, Ns, cancellationToken: ct), cancellationToken)
            .ConfigureAwait(false);
        var status = pod?.Status?.ContainerStatuses?.FirstOrDefault(s => s.Name == container);
        return status?.State?.Terminated is { } t
            ? new SparkContainerTermination(podName, t.Reason ?? (t.ExitCode == 0 ? "Completed" : "Error"), t.ExitCode, string.IsNullOrWhiteSpace(t.Message) ? null : t.Message)
            : null;
    }

    private async Task<(string Pod, string Container)> ResolvePodAsync(string app, int? executor, CancellationToken cancellationToken)
    {
        var found = await queries.GetAsync(app, cancellationToken).ConfigureAwait(false) ?? throw queries.NotFound(app);
        if (executor is null)
        {
            if (found.ClientMode || found.DriverPod is null)
                throw new InvalidInputException("app", $"{found.AppId} is a client-mode session whose driver is {found.DriverPod ?? "outside the cluster"}; pass --executor N");
            return (found.DriverPod, SparkConventions.DriverContainerName);
        }
        var selector = $"{SparkConventions.AppIdLabel}={found.AppId},{SparkConventions.ExecutorIdLabel}={executor}";
        var pods = await queries.ListPodsAsync(selector, cancellationToken).ConfigureAwait(false);
        var pod = pods.FirstOrDefault() ?? throw new InvalidInputException("--executor", $"{found.AppId} has no executor {executor} (now)");
        var container = pod.Spec?.Containers?.FirstOrDefault(c => c.Name == SparkConventions.ExecutorContainerName)?.Name
                        ?? pod.Spec?.Containers?.FirstOrDefault()?.Name ?? SparkConventions.ExecutorContainerName;
        return (pod.Metadata.Name, container);
    }
}
