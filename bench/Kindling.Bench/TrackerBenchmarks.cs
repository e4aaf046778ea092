using BenchmarkDotNet.Attributes;
using k8s;
using k8s.Models;
using Kindling.Operations.Spark;

namespace Kindling.Bench;

/// <summary>
/// CPU per watch event of the tracker with 1000 live applications (3000 pods): the in-process part of
/// following a namespace, without HTTP or JSON.
/// </summary>
[MemoryDiagnoser]
[ShortRunJob]
public class TrackerBenchmarks
{
    private SparkTracker tracker = null!;
    private V1Pod[] toggles = null!;
    private int next;

    [Params(1000)]
    public int Apps { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        tracker = new SparkTracker();
        tracker.Replace(SparkPodFactory.Namespace(Apps));
        // Alternating executor phases, so every event is a real state change that must be derived and reported.
        toggles = Enumerable.Range(0, Apps).SelectMany(i => new[] { SparkPodFactory.Executor(i, 1, "Pending"), SparkPodFactory.Executor(i, 1, "Running") }).ToArray();
    }

    [Benchmark(Description = "one MODIFIED event (1000 apps live)")]
    public object? Event()
    {
        var pod = toggles[next];
        next = (next + 1) % toggles.Length;
        return tracker.Apply(WatchEventType.Modified, pod);
    }

    [Benchmark(Description = "relist of 3000 pods (after 410 Gone)")]
    public int Relist() => tracker.Replace(SparkPodFactory.Namespace(Apps)).Count;
}
