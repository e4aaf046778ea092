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
    /// <summary>The pod's tolerations, which decide the tainted nodes it may use.</summary>
    public IReadOnlyList<V1Toleration> Tolerations { get; init; } = [];

    /// <summary>The pod's node selector.</summary>
    public IReadOnlyDictionary<string, string> NodeSelector { get; init; } = new Dictionary<string, string>();

    /// <summary>
    /// Whether the scheduler may put the pod on <paramref name="node"/>: Ready, not cordoned, every NoSchedule and
    /// NoExecute taint tolerated, and the node selector matched (node affinity is not evaluated).
    /// </summary>
    public bool MayRunOn(V1Node node) =>
        node.Spec?.Unschedulable != true &&
        node.Status?.Conditions?.Any(c => c.Type == "Ready" && c.Status == "True") == true &&
        (node.Spec?.Taints ?? []).Where(t => t.Effect is "NoSchedule" or "NoExecute").All(t => Tolerations.Any(o => Tolerates(o, t))) &&
        NodeSelector.All(s => node.Metadata.Labels is { } l && l.TryGetValue(s.Key, out var v) && v == s.Value);

    // v1.Toleration.ToleratesTaint (k8s.io/api/core/v1/toleration.go): an empty effect matches every effect; an empty
    // key with Exists matches every key; Exists ignores the value, Equal (the default) compares it.
    private static bool Tolerates(V1Toleration toleration, V1Taint taint) =>
        (string.IsNullOrEmpty(toleration.Effect) || toleration.Effect == taint.Effect) &&
        (string.IsNullOrEmpty(toleration.Key) ? toleration.OperatorProperty == "Exists" : toleration.Key == taint.Key) &&
        (toleration.OperatorProperty == "Exists" || (toleration.Value ?? "") == (taint.Value ?? ""));

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

    private static IReadOnlyDictionary<string, string> Selector(IDictionary<string, string>? selector) =>
        selector is null ? new Dictionary<string, string>() : new Dictionary<string, string>(selector);

    // The executor pod template as rendered (a ConfigMap holding the Pod YAML Spark starts every executor from):
    // its tolerations and node selector are the executors' placement.
    private static V1Pod? ExecutorTemplate(DoctorInputs inputs) =>
        inputs.Manifests.Select(m => m.Object).OfType<V1ConfigMap>()
            .Select(c => c.Data?.TryGetValue(Kindling.Resources.ExecutorPodTemplateConfigMap.Key, out var yaml) == true ? yaml : null)
            .Where(y => y is not null).Select(y => Kindling.Resources.KubeYaml.Deserialize<V1Pod>(y!)).FirstOrDefault();

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
        var template = ExecutorTemplate(inputs);
        var deployment = notebook.Spec.Template.Spec;
        var driver = submission.DriverPod.Spec;
        return
        [
            new PodDemand("notebook", 1, deployment.Containers.Select(ContainerDemand.Of).ToList())
                { Tolerations = deployment.Tolerations?.ToList() ?? [], NodeSelector = Selector(deployment.NodeSelector) },
            new PodDemand("driver", 1, driver.Containers.Select(ContainerDemand.Of).ToList())
                { Tolerations = driver.Tolerations?.ToList() ?? [], NodeSelector = Selector(driver.NodeSelector) },
            new PodDemand("executor", submission.Sizes.Executors, [executorContainer])
                { Tolerations = template?.Spec?.Tolerations?.ToList() ?? [], NodeSelector = Selector(template?.Spec?.NodeSelector) },
        ];
    }
}
