using k8s;
using k8s.Models;

namespace Kindling.Operations.Doctor.Checks;

/// <summary>
/// The nodes' allocatable CPU and memory can hold the notebook, one driver and the configured executors at once,
/// with the requests Spark really makes (heap + overhead). Pods are placed first-fit, largest first, each on the
/// nodes the scheduler may give it (Ready, not cordoned, taints tolerated, node selector matched), because a pod
/// never spans nodes. Before <c>up</c> only the notebook must fit: the rest is a later session's concern.
/// </summary>
internal sealed class CapacityCheck : IDoctorCheck
{
    public string Name => "capacity";

    public bool Preflight => true;

    public async Task<IReadOnlyList<CheckResult>> RunAsync(DoctorContext context, CancellationToken cancellationToken)
    {
        var nodes = await context.NodesAsync().ConfigureAwait(false);
        var demands = context.Pods;
        var notebook = demands.First(d => d.Role == "notebook");
        var usable = nodes.Where(n => demands.Any(d => d.MayRunOn(n))).ToList();
        var skipped = nodes.Count - usable.Count;
        var skippedText = skipped > 0 ? $" ({skipped} node(s) not Ready, cordoned, or tainted against these pods were left out)" : "";
        if (usable.Count == 0)
            return [CheckResult.Fail(Name, $"no node can take pods{skippedText}", "add nodes, or make them Ready and schedulable")];

        var free = usable.Select(n => new Slot(n, Quantities.Get(n.Status?.Allocatable, "cpu") ?? 0, Quantities.Get(n.Status?.Allocatable, "memory") ?? 0)).ToList();
        string Largest(PodDemand pod)
        {
            var eligible = free.Where(f => pod.MayRunOn(f.Node)).ToList();
            return eligible.Count == 0
                ? "no node it may run on"
                : $"largest allocatable: cpu {Quantities.Cpu(eligible.Max(f => f.Cpu))}, memory {Quantities.Memory(eligible.Max(f => f.Memory))}";
        }

        if (!free.Any(f => notebook.MayRunOn(f.Node) && f.Cpu >= notebook.Cpu && f.Memory >= notebook.Memory))
            return [CheckResult.Fail(Name, $"the {notebook.Describe()} fits on no node ({Largest(notebook)}){skippedText}",
                "lower notebook.cpu / notebook.memory in kindling.yaml, or use larger nodes (aws.nodeInstanceType)")];

        var pods = demands.SelectMany(d => Enumerable.Repeat(d, d.Count)).OrderByDescending(d => d.Memory).ThenByDescending(d => d.Cpu).ToList();
        var totalCpu = pods.Sum(p => p.Cpu);
        var totalMemory = pods.Sum(p => p.Memory);
        var summary = string.Join(" + ", demands.Select(d => d.Count == 1 ? d.Describe() : $"{d.Count} x {d.Describe()}"));
        var left = free.ToList();
        var unplaced = new List<PodDemand>();
        foreach (var pod in pods)
        {
            var i = left.FindIndex(f => pod.MayRunOn(f.Node) && f.Cpu >= pod.Cpu && f.Memory >= pod.Memory);
            if (i < 0)
            {
                unplaced.Add(pod);
                continue;
            }
            left[i] = left[i] with { Cpu = left[i].Cpu - pod.Cpu, Memory = left[i].Memory - pod.Memory };
        }

        var capacity = $"{free.Count} node(s) with cpu {Quantities.Cpu(free.Sum(f => f.Cpu))}, memory {Quantities.Memory(free.Sum(f => f.Memory))} allocatable{skippedText}";
        if (unplaced.Count == 0)
            return [CheckResult.Ok(Name, $"{summary} (cpu {Quantities.Cpu(totalCpu)}, memory {Quantities.Memory(totalMemory)}) fit on {capacity}")];

        var tooBig = unplaced.FirstOrDefault(p => !free.Any(f => p.MayRunOn(f.Node) && f.Cpu >= p.Cpu && f.Memory >= p.Memory));
        var found = tooBig is not null
            ? $"the {tooBig.Describe()} fits on no node ({Largest(tooBig)})"
            : $"{summary} (cpu {Quantities.Cpu(totalCpu)}, memory {Quantities.Memory(totalMemory)}) do not fit on {capacity}: {unplaced.Count} pod(s) would stay Pending";
        const string fix = "lower spark.executors (instances, memory, cores) or spark.driver in kindling.yaml, or add or enlarge nodes (aws.nodeGroup, aws.nodeInstanceType)";
        // Up only needs the notebook to fit; the cluster autoscaler may add nodes for the rest.
        if (context.ForUp || (tooBig is null && await HasAutoscalerAsync(context, cancellationToken).ConfigureAwait(false)))
            return [CheckResult.Warn(Name, found + (context.ForUp ? "" : "; the cluster autoscaler may add nodes"), fix)];
        return [CheckResult.Fail(Name, found, fix)];
    }

    private static async Task<bool> HasAutoscalerAsync(DoctorContext context, CancellationToken cancellationToken)
    {
        try
        {
            var deployments = await context.Connection.CallAsync("list Deployments in kube-system",
                (k, ct) => k.AppsV1.ListNamespacedDeploymentAsync("kube-system", cancellationToken: ct), cancellationToken).ConfigureAwait(false);
            return deployments.Items.Any(d => d.Metadata.Name.Contains("cluster-autoscaler", StringComparison.Ordinal));
        }
        catch (KubernetesApiException e) when (e.StatusCode is 403 or 404)
        {
            return false;
        }
    }

    private sealed record Slot(V1Node Node, decimal Cpu, decimal Memory);
}
