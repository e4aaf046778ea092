namespace Kindling.Resources;

/// <summary>
/// The node labels and taint that separate Kindling's two node groups on EKS. The Terraform module puts them on
/// the executor node group; Spark placement (<c>Spark/SparkPlacement</c>) selects and tolerates them. Defined
/// once here so both sides always agree.
/// </summary>
public static class NodePools
{
    /// <summary>Label on executor-group nodes.</summary>
    public const string PoolLabel = "kindling.dev/node-pool";

    /// <summary>Value of <see cref="PoolLabel"/> on executor-group nodes.</summary>
    public const string ExecutorPool = "executors";

    /// <summary>Taint key on executor-group nodes: only pods that tolerate it (executors) run there.</summary>
    public const string ExecutorTaintKey = "kindling.dev/executors";

    /// <summary>Taint value.</summary>
    public const string ExecutorTaintValue = "true";

    /// <summary>Taint effect, as Kubernetes spells it.</summary>
    public const string ExecutorTaintEffect = "NoSchedule";

    /// <summary>
    /// The label EKS managed node groups put on every node: <c>ON_DEMAND</c> or <c>SPOT</c> (EKS user guide,
    /// "Managed node group capacity types").
    /// </summary>
    public const string CapacityTypeLabel = "eks.amazonaws.com/capacityType";

    /// <summary>The on-demand value of <see cref="CapacityTypeLabel"/>.</summary>
    public const string OnDemand = "ON_DEMAND";
}
