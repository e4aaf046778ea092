using System.Text;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using k8s;
using k8s.Models;
using Kindling.Cluster;
using Kindling.Operations.Spark;
using Kindling.Testing.FakeKube;

namespace Kindling.Bench;

/// <summary>
/// CPU per watch event of the tracker with 1000 live applications (3000 pods): reading one event line as the API
/// server sends it (a real-sized pod: full spec, managedFields, kubelet status) into a pod view, and deriving and
/// diffing the application it touches. No HTTP; <see cref="TrackerLoad"/> measures the whole path over HTTP.
/// </summary>
/// <remarks>
/// Runs in the benchmark's own process (<see cref="InProcessEmitToolchain"/>): a separately built job per run cost
/// minutes of a shared 2-core machine for no better figure, since nothing here depends on process-wide settings.
/// The event is also split into its two halves, reading the line and deriving, to see where the CPU goes.
/// </remarks>
[MemoryDiagnoser]
[Config(typeof(InProcessShortRun))]
public class TrackerBenchmarks
{
    private SparkTracker tracker = null!;
    private byte[][] events = null!;
    private byte[] list = null!;
    private int next;
    private PodViews.WatchEvent[] parsed = null!;

    [Params(1000)]
    public int Apps { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        // Pods exactly as the fake API server serves them after creation by their writers and a kubelet's status.
        var kube = FakeKubeServer.StartAsync(new FakeKubeOptions { WatchHistory = 100 }).GetAwaiter().GetResult();
        kube.Objects.Create(new V1Namespace { ApiVersion = "v1", Kind = "Namespace", Metadata = new V1ObjectMeta { Name = "kindling" } });
        FakeHost.Populate(kube, Apps);
        var pods = kube.Objects.List<V1Pod>("kindling");
        list = Encoding.UTF8.GetBytes(KubernetesJson.Serialize(new V1PodList { ApiVersion = "v1", Kind = "PodList", Items = pods.ToList(), Metadata = new V1ListMeta { ResourceVersion = "1" } }));
        // Alternating executor phases, so every event is a real state change that must be derived and reported.
        events = pods.Where(p => p.Metadata.Name.EndsWith("-exec-1", StringComparison.Ordinal))
            .SelectMany(p => new[] { Event(p, "Pending"), Event(p, "Running") }).ToArray();
        kube.DisposeAsync().AsTask().GetAwaiter().GetResult();
        tracker = new SparkTracker();
        tracker.ReplaceViews(ReadList());
        parsed = events.Select(e => PodViews.ParseEvent(e)).ToArray();
    }

    private static byte[] Event(V1Pod pod, string phase)
    {
        pod.Status.Phase = phase;
        return Encoding.UTF8.GetBytes($$"""{"type":"MODIFIED","object":{{KubernetesJson.Serialize(pod)}}}""");
    }

    private List<PodView> ReadList() => System.Text.Json.JsonSerializer.Deserialize(list, PodViewJsonContext.Default.PodViewList)!.Items!;

    [Benchmark(Description = "one MODIFIED event line (1000 apps live): read + derive + diff")]
    public object? Event()
    {
        var line = events[next];
        next = (next + 1) % events.Length;
        var parsed = PodViews.ParseEvent(line);
        return tracker.Apply(parsed.Type!.Value, parsed.Pod!);
    }

    [Benchmark(Description = "read one event line into a pod view (no derivation)")]
    public object? Read()
    {
        var line = events[next];
        next = (next + 1) % events.Length;
        return PodViews.ParseEvent(line).Pod;
    }

    [Benchmark(Description = "derive + diff one already-read event (1000 apps live)")]
    public object? Derive()
    {
        var e = parsed[next];
        next = (next + 1) % parsed.Length;
        return tracker.Apply(e.Type!.Value, e.Pod!);
    }

    [Benchmark(Description = "relist of 3000 pods (after 410 Gone): read + replace")]
    public int Relist() => tracker.ReplaceViews(ReadList()).Count;
}

/// <summary>BenchmarkDotNet's ShortRun (3 warm-ups, 3 iterations of 1 launch) run inside the host process.</summary>
internal sealed class InProcessShortRun : ManualConfig
{
    public InProcessShortRun() => AddJob(Job.ShortRun.WithToolchain(InProcessEmitToolchain.Instance).WithId("ShortRun-InProcess"));
}
