using System.Globalization;
using k8s.Models;

namespace Kindling.Spark;

/// <summary>
/// Derives an application's state from its driver pod and executor pods. Pure: the same pods give the
/// same answer, so the tracker, <c>apps</c>, <c>submit --wait</c> and tests share it.
/// <code>
///   driver pod created, no status yet
///               │
///               ▼
///         ┌───────────┐
///         │ Submitted │
///         └─────┬─────┘
///               │ status reported (phase Pending)
///               ▼
///         ┌───────────┐  stays here, with a reason, while stuck:
///         │  Pending  │    Unschedulable     PodScheduled=False (e.g. "Insufficient cpu")
///         └─────┬─────┘    ImagePullBackOff  driver container waiting (also ErrImagePull)
///               │ driver container running
///               ▼
///         ┌───────────┐
///         │  Running  │
///         └─────┬─────┘
///               │ driver container terminated — judged on the container, not the pod phase:
///               │ an Istio or logging sidecar keeps the pod Running after the driver is done
///       ┌───────┴──────────────────────┐
///       │ exit 0                       │ exit ≠ 0 (reason OOMKilled, Error ...),
///       ▼                              ▼ or pod Failed/evicted — also straight from Pending
/// ┌───────────┐                  ┌──────────┐
/// │ Succeeded │                  │  Failed  │
/// └───────────┘                  └──────────┘
/// </code>
/// </summary>
public static class SparkApplicationStates
{
    private static readonly HashSet<string> ImagePullReasons = new(StringComparer.Ordinal)
    {
        "ImagePullBackOff", "ErrImagePull", "InvalidImageName", "ErrImageNeverPull",
    };

    /// <summary>Derives the application of one driver pod and the executor pods carrying its app id.</summary>
    public static SparkApplication FromDriver(V1Pod driver, IEnumerable<V1Pod> executors)
    {
        var labels = driver.Metadata.Labels ?? new Dictionary<string, string>();
        var appId = labels.TryGetValue(SparkConventions.AppIdLabel, out var id) ? id : "";
        var (state, reason, message, exitCode) = DriverState(driver);
        var executorList = executors as IReadOnlyCollection<V1Pod> ?? executors.ToList();
        var running = 0;
        foreach (var executor in executorList)
            if (IsRunning(executor)) running++;
        var requested = driver.Metadata.Annotations is { } a && a.TryGetValue(SparkConventions.ExecutorsRequestedAnnotation, out var r)
                        && int.TryParse(r, NumberStyles.None, CultureInfo.InvariantCulture, out var n)
            ? n
            : executorList.Count;
        return new SparkApplication(
            appId,
            labels.TryGetValue(SparkConventions.AppNameLabel, out var name) ? name : driver.Metadata.Name,
            driver.Metadata.NamespaceProperty ?? "",
            driver.Metadata.Name,
            state, reason, message, exitCode,
            running, requested,
            Created(driver),
            ClientMode: false)
        {
            DriverNode = string.IsNullOrEmpty(driver.Spec?.NodeName) ? null : driver.Spec.NodeName,
        };
    }

    /// <summary>
    /// A client-mode application (a notebook session): executors only, owned by the pod whose process is the
    /// driver. It runs while any executor is alive; once all are gone it simply disappears from listings.
    /// </summary>
    public static SparkApplication FromExecutorsOnly(string appId, IReadOnlyList<V1Pod> executors)
    {
        var first = executors.OrderBy(p => p.Metadata.CreationTimestamp ?? DateTime.MaxValue).First();
        var labels = first.Metadata.Labels ?? new Dictionary<string, string>();
        var owner = first.Metadata.OwnerReferences?.FirstOrDefault(o => o.Kind == "Pod")?.Name;
        var running = executors.Count(IsRunning);
        var state = running > 0 ? SparkApplicationState.Running : SparkApplicationState.Pending;
        return new SparkApplication(
            appId,
            labels.TryGetValue(SparkConventions.AppNameLabel, out var name) ? name : appId,
            first.Metadata.NamespaceProperty ?? "",
            owner,
            state, null, null, null,
            running, executors.Count,
            Created(first),
            ClientMode: true);
    }

    /// <summary>
    /// The one place pods become applications: grouped by <c>spark-app-selector</c>, which Spark puts on the driver
    /// and every executor (cluster mode) or on the executors of a client-mode session. Pods without it are not Spark's.
    /// </summary>
    public static IEnumerable<IGrouping<string, V1Pod>> GroupByApp(IEnumerable<V1Pod> pods) =>
        pods.Where(p => AppIdOf(p) is not null).GroupBy(p => AppIdOf(p)!, StringComparer.Ordinal);

    /// <summary>Groups pods by <c>spark-app-selector</c> (<see cref="GroupByApp"/>) and derives every application, oldest first.</summary>
    public static IReadOnlyList<SparkApplication> FromPods(IEnumerable<V1Pod> pods)
    {
        var apps = new List<SparkApplication>();
        foreach (var group in GroupByApp(pods))
            if (FromAppPods(group.Key, group) is { } app) apps.Add(app);
        return apps.OrderBy(a => a.CreatedAt ?? DateTimeOffset.MaxValue).ThenBy(a => a.AppId, StringComparer.Ordinal).ToList();
    }

    /// <summary>
    /// The application of pods already known to carry <paramref name="appId"/>: the newest driver with the executors,
    /// else a client-mode session; null when none is a driver or an executor. One pass and no grouping, because the
    /// tracker calls it on every watch event of an application.
    /// </summary>
    internal static SparkApplication? FromAppPods(string appId, IEnumerable<V1Pod> pods)
    {
        V1Pod? driver = null;
        List<V1Pod>? executors = null;
        foreach (var pod in pods)
        {
            var role = RoleOf(pod);
            if (role == SparkConventions.DriverRole)
            {
                // The newest driver wins (one without a creation time loses to any with one); among equally old
                // ones, the first seen.
                if (driver is null || (Created(pod) is { } created && !(Created(driver) >= created))) driver = pod;
            }
            else if (role == SparkConventions.ExecutorRole)
            {
                (executors ??= []).Add(pod);
            }
        }
        if (driver is not null) return FromDriver(driver, executors ?? []);
        return executors is null ? null : FromExecutorsOnly(appId, executors);
    }

    /// <summary>Whether the derivation reads this annotation; readers that keep pods for long drop the others.</summary>
    internal static bool ReadsAnnotation(string key) => key == SparkConventions.ExecutorsRequestedAnnotation;

    /// <summary>The pod's <c>spark-app-selector</c>, if it is a Spark pod.</summary>
    public static string? AppIdOf(V1Pod pod) =>
        pod.Metadata.Labels is { } l && l.TryGetValue(SparkConventions.AppIdLabel, out var v) ? v : null;

    /// <summary>The pod's <c>spark-role</c>.</summary>
    public static string? RoleOf(V1Pod pod) =>
        pod.Metadata.Labels is { } l && l.TryGetValue(SparkConventions.RoleLabel, out var v) ? v : null;

    /// <summary>The driver container's status: the one named <c>spark-kubernetes-driver</c>, else the first.</summary>
    public static V1ContainerStatus? DriverContainer(V1Pod driver)
    {
        var statuses = driver.Status?.ContainerStatuses;
        if (statuses is null || statuses.Count == 0) return null;
        return statuses.FirstOrDefault(s => s.Name == SparkConventions.DriverContainerName) ?? statuses[0];
    }

    private static (SparkApplicationState, string?, string?, int?) DriverState(V1Pod driver)
    {
        var status = driver.Status;
        var container = DriverContainer(driver);
        if (container?.State?.Terminated is { } terminated)
        {
            return terminated.ExitCode == 0
                ? (SparkApplicationState.Succeeded, null, null, 0)
                : (SparkApplicationState.Failed, terminated.Reason ?? "Error", EmptyToNull(terminated.Message), terminated.ExitCode);
        }
        // A pod can fail without its container ever terminating: eviction, node loss, deadline.
        if (status?.Phase == "Failed")
            return (SparkApplicationState.Failed, status.Reason ?? "Failed", EmptyToNull(status.Message), null);
        if (container?.State?.Running is not null) return (SparkApplicationState.Running, null, null, null);
        if (status is null || string.IsNullOrEmpty(status.Phase)) return (SparkApplicationState.Submitted, null, null, null);

        if (container?.State?.Waiting is { } waiting && waiting.Reason is { } waitReason)
        {
            if (ImagePullReasons.Contains(waitReason))
                return (SparkApplicationState.Pending, "ImagePullBackOff", EmptyToNull(waiting.Message) ?? waitReason, null);
            if (waitReason is "CreateContainerConfigError" or "CreateContainerError" or "RunContainerError")
                return (SparkApplicationState.Pending, waitReason, EmptyToNull(waiting.Message), null);
        }
        var scheduled = status.Conditions?.FirstOrDefault(c => c.Type == "PodScheduled");
        if (scheduled is { Status: "False" })
            return (SparkApplicationState.Pending, scheduled.Reason ?? "Unschedulable", EmptyToNull(scheduled.Message), null);
        // The phase says Running but the driver container has not reported yet, or a sidecar runs alone.
        return (SparkApplicationState.Pending, null, null, null);
    }

    private static bool IsRunning(V1Pod pod) => pod.Status?.Phase == "Running" && pod.Metadata.DeletionTimestamp is null;

    private static DateTimeOffset? Created(V1Pod pod) =>
        pod.Metadata.CreationTimestamp is { } t ? new DateTimeOffset(DateTime.SpecifyKind(t, DateTimeKind.Utc)) : null;

    private static string? EmptyToNull(string? s) => string.IsNullOrWhiteSpace(s) ? null : s;
}
