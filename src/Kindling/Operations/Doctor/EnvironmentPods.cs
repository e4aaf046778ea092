using k8s.Models;
using Kindling.Spark;

namespace Kindling.Operations.Doctor;

/// <summary>What one container asks for: requests and limits, CPU in cores and memory in bytes (null: not set).</summary>
internal sealed record ContainerDemand(string Name, decimal? CpuRequest, decimal? CpuLimit, decimal? MemoryRequest, decimal? MemoryLimit)
{
    public static ContainerDemand Of(V1Container container)
    {
        decimal? Get(IDictionary<string, ResourceQuantity>? map, string key) =>
            map is not null && map.TryGetValue(key, out var q) ? q.ToDecimal() : null;
        var r = container.Resources;
        return new ContainerDemand(container.Name, Get(r?.Requests, "cpu"), Get(r?.Limits, "cpu"), Get(r?.Requests, "memory"), Get(r?.Limits, "memory"));
    }
}

/// <summary>One pod of the environment and what it asks Kubernetes for.</summary>
/// <param name="Role"><c>notebook</c>, <c>driver</c> or <c>executor</c>.</param>
/// <param name="Count">How many such pods run at once.</param>
/// <param name="Containers">Its containers.</param>
internal sealed record PodDemand(string Role, int Count, IReadOnlyList<ContainerDemand> Containers)
{
    /// <summary>The scheduler's view: the sum of the containers' CPU requests (cores).</summary>
    public decimal Cpu => Containers.Sum(c => c.CpuRequest ?? c.CpuLimit ?? 0);

    /// <summary>The sum of the containers' memory requests (bytes).</summary>
    public decimal Memory => Containers.Sum(c => c.MemoryRequest ?? c.MemoryLimit ?? 0);

    /// <summary><c>executor pod (cpu 1, memory 2867Mi)</c>.</summary>
    public string Describe() => $"{Role} pod (cpu {Quantities.Cpu(Cpu)}, memory {Quantities.Memory(Memory)})";
}

/// <summary>
/// The pods an environment in use runs, with their real requests: the notebook from the rendered Deployment, and a
/// cluster-mode driver and its executors sized exactly as a submission is (<see cref="SparkSubmission"/> and
/// <see cref="SparkPodSizes"/>, overhead included). The driver is a Python application's, the larger overhead
/// (0.4 rather than 0.1) and what notebook sessions use too.
/// </summary>
internal static class EnvironmentPods
{
    // An application inside the official image; only its kind (Python) matters for sizing.
    private const string SampleResource = "local:///opt/spark/examples/src/main/python/pi.py";

    public static IReadOnlyList<PodDemand> For(DoctorInputs inputs)
    {
        var notebook = inputs.Manifests.Select(m => m.Object).OfType<V1Deployment>().First();
        var app = new SparkApplicationSpec { Resource = SampleResource, Name = "doctor" };
        var target = SparkSubmitTarget.For(inputs.Spec, inputs.Images.Spark, "doctor", inputs.State.Terraform?.SparkRoleArn);
        var ids = SparkIdGenerator.Deterministic(inputs.Time, 0).Next();
        var submission = SparkSubmission.Build(new SparkSubmissionInputs(app, target, ids, SparkAppSources.AsGiven(app)));
        var executor = submission.Sizes.Executor;
        decimal Mi(long mib) => mib * 1024m * 1024m;
        var executorContainer = new ContainerDemand(SparkConventions.ExecutorContainerName,
            Quantities.ParseCpu(executor.Cpu), executor.CpuLimit is null ? null : Quantities.ParseCpu(executor.CpuLimit),
            Mi(executor.PodMemoryMiB), Mi(executor.PodMemoryMiB));
        return
        [
            new PodDemand("notebook", 1, notebook.Spec.Template.Spec.Containers.Select(ContainerDemand.Of).ToList()),
            new PodDemand("driver", 1, submission.DriverPod.Spec.Containers.Select(ContainerDemand.Of).ToList()),
            new PodDemand("executor", submission.Sizes.Executors, [executorContainer]),
        ];
    }
}
