using k8s.Models;

namespace Kindling.Spark;

/// <summary>Spark applications still present in a namespace: what <c>down</c> reports and <c>down --apps</c> stops.</summary>
/// <param name="AppIds">Every application id (cluster-mode drivers and other sessions not owned by the notebook).</param>
/// <param name="Drivers">Driver pods.</param>
/// <param name="RunningDrivers">Of those, pods not yet finished.</param>
/// <param name="Executors">Executor pods not owned by the notebook pod.</param>
/// <param name="Objects">ConfigMaps and Services owned by driver pods.</param>
public sealed record SparkLeftovers(IReadOnlyList<string> AppIds, int Drivers, int RunningDrivers, int Executors, int Objects)
{
    /// <summary>Nothing of Spark is left.</summary>
    public bool IsEmpty => Drivers == 0 && Executors == 0 && Objects == 0;

    /// <summary>
    /// Classifies pods by Spark's labels (<c>spark-app-selector</c>, <c>spark-role</c>, set by Spark's
    /// BasicDriverFeatureStep/BasicExecutorFeatureStep). Executors owned by one of <paramref name="environmentPodUids"/>
    /// (the notebook's client-mode sessions) go with the notebook pod and are not counted.
    /// </summary>
    public static SparkLeftovers From(IReadOnlyList<V1Pod> pods, IReadOnlyList<IReadOnlyList<V1OwnerReference>?> otherObjectsOwners,
        IReadOnlySet<string> environmentPodUids)
    {
        var sparkPods = pods.Where(p => p.Metadata.Labels?.ContainsKey(SparkConventions.AppIdLabel) == true && p.Metadata.DeletionTimestamp is null).ToList();
        var drivers = sparkPods.Where(p => Role(p) == SparkConventions.DriverRole && !environmentPodUids.Contains(p.Metadata.Uid ?? "")).ToList();
        var executors = sparkPods.Where(p => Role(p) == SparkConventions.ExecutorRole
                                             && p.Metadata.OwnerReferences?.Any(o => environmentPodUids.Contains(o.Uid)) != true).ToList();
        var driverUids = drivers.Select(d => d.Metadata.Uid).Where(u => u is not null).ToHashSet(StringComparer.Ordinal);
        var objects = otherObjectsOwners.Count(owners => owners?.Any(o => driverUids.Contains(o.Uid)) == true);
        var appIds = drivers.Concat(executors).Select(p => p.Metadata.Labels[SparkConventions.AppIdLabel]).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
        var running = drivers.Count(d => d.Status?.Phase is not ("Succeeded" or "Failed"));
        return new SparkLeftovers(appIds, drivers.Count, running, executors.Count, objects);
    }

    /// <summary>The pod selector of one application's pods.</summary>
    public static string Selector(string appId) => $"{SparkConventions.AppIdLabel}={appId}";

    private static string? Role(V1Pod pod) => pod.Metadata.Labels?.TryGetValue(SparkConventions.RoleLabel, out var role) == true ? role : null;

    /// <inheritdoc />
    public override string ToString() =>
        $"{Drivers} driver pod(s) ({RunningDrivers} running), {Executors} executor pod(s) and {Objects} ConfigMap/Service object(s) of {AppIds.Count} Spark application(s)";
}
