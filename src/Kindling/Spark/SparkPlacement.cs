using k8s.Models;
using Kindling.Configuration;
using Kindling.Resources;

namespace Kindling.Spark;

/// <summary>
/// Where Spark pods run on Kindling's EKS cluster. With an executor node group (<c>aws.executorNodes</c>),
/// executors select its label and tolerate its taint; drivers (the notebook, cluster-mode drivers) select
/// on-demand nodes, and the taint keeps them off the executor group anyway, so a spot interruption loses
/// executors, never a driver. Spark has no conf keys for tolerations, so the executor part goes into the executor
/// pod template (<see cref="ExecutorPodTemplate"/>).
/// </summary>
/// <param name="DriverNodeSelector">Node selector of driver pods; empty off Kindling's EKS.</param>
/// <param name="ExecutorNodeSelector">Node selector of executor pods; empty without an executor node group.</param>
/// <param name="ExecutorTolerations">Tolerations of executor pods; empty without an executor node group.</param>
public sealed record SparkPlacement(
    IReadOnlyDictionary<string, string> DriverNodeSelector,
    IReadOnlyDictionary<string, string> ExecutorNodeSelector,
    IReadOnlyList<V1Toleration> ExecutorTolerations)
{
    /// <summary>No placement: any cluster Kindling did not provision, where these labels need not exist.</summary>
    public static SparkPlacement None { get; } = new(Empty(), Empty(), []);

    /// <summary>The placement of an environment; <paramref name="onKindlingEks"/> from <see cref="KindlingEks.RunsOn"/>.</summary>
    public static SparkPlacement For(EnvironmentSpec spec, bool onKindlingEks)
    {
        ArgumentNullException.ThrowIfNull(spec);
        if (!onKindlingEks) return None;
        // EKS labels every managed node with its capacity type; the main group is always ON_DEMAND.
        var drivers = Selector(NodePools.CapacityTypeLabel, NodePools.OnDemand);
        if (spec.Aws.ExecutorNodes is null) return new SparkPlacement(drivers, Empty(), []);
        return new SparkPlacement(
            drivers,
            Selector(NodePools.PoolLabel, NodePools.ExecutorPool),
            [new V1Toleration { Key = NodePools.ExecutorTaintKey, OperatorProperty = "Equal", Value = NodePools.ExecutorTaintValue, Effect = NodePools.ExecutorTaintEffect }]);
    }

    private static SortedDictionary<string, string> Empty() => new(StringComparer.Ordinal);

    private static SortedDictionary<string, string> Selector(string key, string value) => new(StringComparer.Ordinal) { [key] = value };
}
