using k8s;
using Kindling.Cluster;
using Kindling.Spark;

namespace Kindling.Operations;

/// <summary>What runs in the environment, as the cluster reports it.</summary>
/// <param name="Cluster">The cluster asked.</param>
/// <param name="ServerVersion">The API server's <c>gitVersion</c> (<c>/version</c>).</param>
/// <param name="Platform">The API server's platform, e.g. <c>linux/amd64</c>.</param>
/// <param name="NotebookPod">The newest notebook pod, when one exists.</param>
/// <param name="NotebookImage">Its Jupyter image as the pod spec names it.</param>
/// <param name="NotebookImageId">The image the kubelet actually runs (digest), once the container started.</param>
/// <param name="ExecutorImage">The Spark image the notebook gives its executors (its <c>SPARK_IMAGE</c> env).</param>
/// <param name="SparkVersions">The <c>spark-version</c> labels Spark puts on the driver and executor pods running now.</param>
public sealed record ClusterVersions(
    KubeTarget Cluster, string ServerVersion, string? Platform, string? NotebookPod, string? NotebookImage, string? NotebookImageId,
    string? ExecutorImage, IReadOnlyList<string> SparkVersions);

/// <summary>
/// <c>kindling version</c> against a cluster: reads only what the cluster tells (the API server's version, the
/// notebook pod's image and env, the Spark pods' labels); changes nothing.
/// </summary>
public static class VersionOperation
{
    public static async Task<ClusterVersions> RunAsync(EnvironmentContext environment, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(environment);
        var connection = environment.Connection;
        var ns = environment.Namespace;
        var version = await connection.CallAsync("read /version", (k, ct) => k.Version.GetCodeAsync(ct), cancellationToken).ConfigureAwait(false);

        var selector = PodConditions.Selector(new SortedDictionary<string, string>(
            Resources.StandardLabels.NotebookSelector(environment.Spec.Name), StringComparer.Ordinal));
        var notebooks = await connection.CallAsync($"list notebook pods in {ns}",
            (k, ct) => k.CoreV1.ListNamespacedPodAsync(ns, labelSelector: selector, cancellationToken: ct), cancellationToken).ConfigureAwait(false);
        var pod = notebooks.Items.Where(p => p.Metadata.DeletionTimestamp is null)
            .OrderByDescending(p => p.Metadata.CreationTimestamp ?? DateTime.MinValue).FirstOrDefault();
        var container = pod?.Spec?.Containers?.FirstOrDefault(c => c.Name == Resources.JupyterDeployment.ContainerName);
        var status = pod?.Status?.ContainerStatuses?.FirstOrDefault(c => c.Name == Resources.JupyterDeployment.ContainerName);
        var executorImage = container?.Env?.FirstOrDefault(e => e.Name == Kindling.Spark.Notebook.NotebookEnvironment.Image)?.Value;

        // Spark labels every driver and executor pod with its version (Constants.SPARK_VERSION_LABEL).
        var sparkPods = await connection.CallAsync($"list Spark pods in {ns}",
            (k, ct) => k.CoreV1.ListNamespacedPodAsync(ns, labelSelector: SparkConventions.VersionLabel, cancellationToken: ct), cancellationToken).ConfigureAwait(false);
        var sparkVersions = sparkPods.Items.Select(p => p.Metadata.Labels is { } labels && labels.TryGetValue(SparkConventions.VersionLabel, out var v) ? v : null)
            .OfType<string>().Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();

        return new ClusterVersions(connection.Target, version.GitVersion, version.Platform, pod?.Metadata.Name, container?.Image,
            string.IsNullOrEmpty(status?.ImageID) ? null : status.ImageID, executorImage, sparkVersions);
    }
}
