using k8s;
using k8s.Models;

namespace Kindling.Operations.Doctor.Checks;

/// <summary>
/// The nodes' allocatable CPU and memory can hold the notebook, one driver and the configured executors at once,
/// with the requests Spark really makes (heap + overhead). Pods are placed first-fit, largest first, on the nodes
/// the scheduler may use (Ready, not cordoned, no NoSchedule/NoExecute taint), because a pod never spans nodes.
/// Before <c>up</c> only the notebook must fit: the rest is a later session's concern.
/// </summary>
internal sealed class CapacityCheck : IDoctorCheck
{
    public string Name => "capacity";

    public bool Preflight => true;

    public async Task<IReadOnlyList<CheckResult>> RunAsync(DoctorContext context, CancellationToken cancellationToken)
    {
        var nodes = await context.NodesAsync().ConfigureAwait(false);
        var usable = nodes.Where(Schedulable).ToList();
        var skipped = nodes.Count - usable.Count;
        var free = usable.Select(n => (Name: n.Metadata.Name,
            Cpu: Quantities.Get(n.Status?.Allocatable, "cpu") ?? 0, Memory: Quantities.Get(n.Status?.Allocatable, "memory") ?? 0)).ToList();
        var skippedText = skipped > 0 ? $" ({skipped} node(s) not Ready, cordoned or tainted were left out)" : "";
        if (free.Count == 0)
            return [CheckResult.Fail(Name, $"no node can take pods{skippedText}", "add nodes, or make them Ready and schedulable")];

        var demands = context.Pods;
        var notebook = demands.First(d => d.Role == "notebook");
        var biggest = free.MaxBy(f => f.Memory);
        if (!free.Any(f => f.Cpu >= notebook.Cpu && f.Memory >= notebook.Memory))
            return [CheckResult.Fail(Name, $"the {notebook.Describe()} fits on no node; the largest allocatable is cpu {Quantities.Cpu(free.Max(f => f.Cpu))}, memory {Quantities.Memory(biggest.Memory)}{skippedText}",
                "lower notebook.cpu / notebook.memory in kindling.yaml, or use larger nodes (aws.nodeInstanceType)")];

        var pods = demands.SelectMany(d => Enumerable.Repeat(d, d.Count)).OrderByDescending(d => d.Memory).ThenByDescending(d => d.Cpu).ToList();
        var totalCpu = pods.Sum(p => p.Cpu);
        var totalMemory = pods.Sum(p => p.Memory);
        var summary = string.Join(" + ", demands.Select(d => d.Count == 1 ? d.Describe() : $"{d.Count} x {d.Describe()}"));
        var left = free.Select(f => (f.Name, f.Cpu, f.Memory)).ToList();
        var unplaced = new List<PodDemand>();
        foreach (var pod in pods)
        {
            var i = left.FindIndex(f => f.Cpu >= pod.Cpu && f.Memory >= pod.Memory);
            if (i < 0)
            {
                unplaced.Add(pod);
                continue;
            }
            left[i] = (left[i].Name, left[i].Cpu - pod.Cpu, left[i].Memory - pod.Memory);
        }

        var capacity = $"{free.Count} node(s) with cpu {Quantities.Cpu(free.Sum(f => f.Cpu))}, memory {Quantities.Memory(free.Sum(f => f.Memory))} allocatable{skippedText}";
        if (unplaced.Count == 0)
            return [CheckResult.Ok(Name, $"{summary} (cpu {Quantities.Cpu(totalCpu)}, memory {Quantities.Memory(totalMemory)}) fit on {capacity}")];

        var tooBig = unplaced.FirstOrDefault(p => !free.Any(f => f.Cpu >= p.Cpu && f.Memory >= p.Memory));
        var found = tooBig is not null
            ? $"the {tooBig.Describe()} fits on no node (largest allocatable: cpu {Quantities.Cpu(free.Max(f => f.Cpu))}, memory {Quantities.Memory(biggest.Memory)})"
            : $"{summary} (cpu {Quantities.Cpu(totalCpu)}, memory {Quantities.Memory(totalMemory)}) do not fit on {capacity}: {unplaced.Count} pod(s) would stay Pending";
        const string fix = "lower spark.executors (instances, memory, cores) or spark.driver in kindling.yaml, or add or enlarge nodes (aws.nodeGroup, aws.nodeInstanceType)";
        // Up only needs the notebook to fit; the cluster autoscaler may add nodes for the rest.
        if (context.ForUp || (tooBig is null && await HasAutoscalerAsync(context, cancellationToken).ConfigureAwait(false)))
            return [CheckResult.Warn(Name, found + (context.ForUp ? "" : "; the cluster autoscaler may add nodes"), fix)];
        return [CheckResult.Fail(Name, found, fix)];
    }

    private static bool Schedulable(V1Node node) =>
        node.Spec?.Unschedulable != true &&
        node.Status?.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") == true &&
        node.Spec?.Taints?.Any(t => t.Effect is "NoSchedule" or "NoExecute") != true;

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
}
