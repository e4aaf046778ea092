using k8s.Models;

namespace Kindling.Spark;

/// <summary>
/// Driver pods whose submission never finished: the pod exists but its conf ConfigMap does not. The kubelet
/// cannot mount the missing volume, so such a pod stays Pending (ContainerCreating) forever and holds its
/// request; after a grace period, longer than a normal gap between the pod and its ConfigMap, it is reported
/// Failed and offered for deletion as an orphan.
/// </summary>
public static class SparkIncompleteSubmissions
{
    /// <summary>How long a driver pod may wait for its ConfigMap before it counts as abandoned.</summary>
    public static readonly TimeSpan DefaultGrace = TimeSpan.FromMinutes(2);

    /// <summary>The <c>Failed</c> reason given to such applications.</summary>
    public const string Reason = "ConfigMapMissing";

    /// <summary>The conf ConfigMap the driver mounts (<c>spark-conf-volume-driver</c>), or null.</summary>
    public static string? ConfConfigMapOf(V1Pod driver) =>
        driver.Spec?.Volumes?.FirstOrDefault(v => v.Name == SparkConventions.ConfVolumeName)?.ConfigMap?.Name;

    /// <summary>Applications that might be incomplete: cluster mode, not started, older than <paramref name="grace"/>.</summary>
    public static IEnumerable<SparkApplication> Candidates(IEnumerable<SparkApplication> apps, DateTimeOffset now, TimeSpan grace) =>
        apps.Where(a => !a.ClientMode && a.DriverPod is not null
                        && a.State is SparkApplicationState.Submitted or SparkApplicationState.Pending
                        && a.CreatedAt is { } created && now - created >= grace);

    /// <summary>The application reported as Failed because <paramref name="configMap"/> never appeared.</summary>
    public static SparkApplication MarkFailed(SparkApplication app, string configMap) => app with
    {
        State = SparkApplicationState.Failed,
        Reason = Reason,
        Message = $"its ConfigMap {configMap} never appeared (the submission was cut off after the driver pod was created), " +
                  $"so the driver cannot start; remove it with 'kindling kill {app.AppId}' or 'kindling apps --orphans --delete'",
    };
}
