using k8s;
using k8s.Models;
using Kindling.Cluster;
using Kindling.Configuration;
using Kindling.Resources;
using Kindling.Spark;

namespace Kindling.Operations;

/// <summary>
/// Creates the environment's PodMonitor when the cluster serves the Prometheus Operator's <c>PodMonitor</c> API (API
/// discovery: <c>monitoring.coreos.com</c> is a served group); otherwise the pods' prometheus.io annotations apply.
/// </summary>
internal static class MetricsMonitor
{
    public static async Task<bool> HasPodMonitorApiAsync(KubeConnection connection, CancellationToken cancellationToken)
    {
        var groups = await connection.CallAsync("read the API groups (discovery)", async (k, ct) => await k.Apis.GetAPIVersionsAsync(ct).ConfigureAwait(false), cancellationToken)
            .ConfigureAwait(false);
        return groups.Groups?.Any(g => g.Name == SparkPodMonitor.Group && g.Versions.Any(v => v.Version == SparkPodMonitor.Version)) == true;
    }

    /// <summary>Deletes the PodMonitor when the API is served and the object carries this environment's inventory label.</summary>
    public static async Task DeleteAsync(KubeConnection connection, EnvironmentSpec spec, IProgress<ProgressEvent> progress, CancellationToken cancellationToken)
    {
        if (!await HasPodMonitorApiAsync(connection, cancellationToken).ConfigureAwait(false)) return;
        var name = SparkPodMonitor.Name(spec);
        var existing = await connection.TryCallAsync($"read PodMonitor/{name}", async (k, ct) => await k.CustomObjects.GetNamespacedCustomObjectAsync(
            SparkPodMonitor.Group, SparkPodMonitor.Version, spec.Namespace, SparkPodMonitor.Plural, name, ct).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
        if (existing is null) return;
        // Only an object Kindling applied for this environment is deleted (inventory label), never a namesake.
        var json = k8s.KubernetesJson.Serialize(existing);
        if (!json.Contains($"\"{KindlingLabels.Inventory}\":\"{spec.Name}\"", StringComparison.Ordinal)) return;
        await connection.CallAsync($"delete PodMonitor/{name}", async (k, ct) => await k.CustomObjects.DeleteNamespacedCustomObjectAsync(
            SparkPodMonitor.Group, SparkPodMonitor.Version, spec.Namespace, SparkPodMonitor.Plural, name, cancellationToken: ct).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
        progress.Report(new ProgressEvent($"PodMonitor/{name}", ProgressStatus.Changed, "deleted"));
    }

    public static async Task ApplyAsync(KubeConnection connection, EnvironmentSpec spec, IProgress<ProgressEvent> progress, CancellationToken cancellationToken) =>
        await ApplyAsync(connection, spec, await HasPodMonitorApiAsync(connection, cancellationToken).ConfigureAwait(false), progress, cancellationToken)
            .ConfigureAwait(false);

    /// <summary>Applies the PodMonitor when <paramref name="served"/> (discovery already read by the caller), else says why not.</summary>
    public static async Task ApplyAsync(KubeConnection connection, EnvironmentSpec spec, bool served, IProgress<ProgressEvent> progress, CancellationToken cancellationToken)
    {
        var subject = $"PodMonitor/{SparkPodMonitor.Name(spec)}";
        if (!served)
        {
            progress.Report(new ProgressEvent("metrics", ProgressStatus.Info, "no Prometheus Operator (PodMonitor API) on this cluster: Spark pods carry prometheus.io scrape annotations"));
            return;
        }
        var body = SparkPodMonitor.Build(spec, StandardLabels.For(spec.Name, "spark", "metrics"));
        await connection.CallAsync($"apply {subject}", async (k, ct) => await k.CustomObjects.PatchNamespacedCustomObjectAsync(
                new V1Patch(body.ToJsonString(), V1Patch.PatchType.ApplyPatch), SparkPodMonitor.Group, SparkPodMonitor.Version, spec.Namespace, SparkPodMonitor.Plural,
                SparkPodMonitor.Name(spec), fieldManager: KindlingLabels.FieldManager, force: true, cancellationToken: ct).ConfigureAwait(false),
            cancellationToken).ConfigureAwait(false);
        progress.Report(new ProgressEvent(subject, ProgressStatus.Changed, "applied (Prometheus Operator scrapes the drivers' /metrics/prometheus)"));
    }
}
