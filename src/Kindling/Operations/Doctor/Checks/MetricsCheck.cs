using k8s;
using Kindling.Spark;

namespace Kindling.Operations.Doctor.Checks;

/// <summary>
/// Which of the two metrics paths applies on this cluster. With the Prometheus Operator's <c>PodMonitor</c> API served
/// (discovery lists <c>monitoring.coreos.com/v1</c>), <c>up</c> creates a PodMonitor and the Operator, which ignores
/// prometheus.io annotations, scrapes through it; without it, the drivers' and notebook's <c>prometheus.io/*</c>
/// annotations are what an annotation-driven Prometheus (the community <c>kubernetes-pods</c> scrape job) follows.
/// Neither is a failure: a cluster with no Prometheus at all still runs Spark.
/// </summary>
internal sealed class MetricsCheck : IDoctorCheck
{
    public string Name => "metrics";

    public bool Preflight => false;

    public async Task<IReadOnlyList<CheckResult>> RunAsync(DoctorContext context, CancellationToken cancellationToken)
    {
        var endpoints = $"{SparkObservability.DriverMetricsPath} and {SparkObservability.ExecutorMetricsPath} on each driver's {SparkConventions.UiPortName} port";
        if (!await MetricsMonitor.HasPodMonitorApiAsync(context.Connection, cancellationToken).ConfigureAwait(false))
            return [CheckResult.Ok(Name, $"no PodMonitor API ({SparkPodMonitor.Group}/{SparkPodMonitor.Version}) on this cluster: Spark drivers and the notebook " +
                                         $"carry {SparkObservability.ScrapeAnnotation}/port/path annotations for {endpoints}; a Prometheus with the kubernetes-pods annotation job scrapes them")];

        var name = SparkPodMonitor.Name(context.Spec);
        var existing = await context.Connection.TryCallAsync($"read PodMonitor/{name}", async (k, ct) => await k.CustomObjects.GetNamespacedCustomObjectAsync(
            SparkPodMonitor.Group, SparkPodMonitor.Version, context.Namespace, SparkPodMonitor.Plural, name, ct).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
        return existing is null
            ? [CheckResult.Warn(Name, $"the Prometheus Operator's PodMonitor API is served, but PodMonitor/{name} is not in {context.Namespace} yet: the Operator ignores " +
                                      $"{SparkObservability.ScrapeAnnotation} annotations, so nothing scrapes Spark", "run 'kindling up', which creates it")]
            : [CheckResult.Ok(Name, $"PodMonitor API served: PodMonitor/{name} has the Prometheus Operator scrape {endpoints} (the prometheus.io annotations are ignored there)")];
    }
}
