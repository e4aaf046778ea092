using System.Diagnostics;
using System.Globalization;
using Kindling.Cluster;
using Kindling.Operations.Spark;

namespace Kindling.Bench;

/// <summary>
/// Follows every application of the fake's namespace through the library's one namespace-wide watch and
/// reports events per second, CPU per event and peak memory of this process.
/// </summary>
/// <remarks>
/// CPU is the whole process's (user + system, every thread): reading TLS and HTTP/2 frames, splitting lines,
/// reading pod views, deriving, the channel to the consumer, the GC, the thread pool, and the JIT compiling and
/// re-compiling (tiering) the event path while it warms up. Nothing is excluded from the overall figure; the
/// first <c>--warmup</c> events are also reported on their own, and the steady state after them, so that a short
/// run's JIT cost is visible rather than mistaken for the cost per event of a tracker that runs for hours.
/// Each round (one event per application) is printed too, to show where the curve flattens.
/// </remarks>
internal static class TrackerLoad
{
    public static async Task<int> RunAsync(string[] args)
    {
        string Arg(string name, string fallback) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault() ?? fallback;
        var kubeconfig = Arg("--kubeconfig", "kubeconfig");
        var apps = int.Parse(Arg("--apps", "1000"), CultureInfo.InvariantCulture);
        var expect = int.Parse(Arg("--expect", "1000"), CultureInfo.InvariantCulture);
        var readyFile = Arg("--ready-file", "ready");
        var warmup = int.Parse(Arg("--warmup", "0"), CultureInfo.InvariantCulture);

        using var connection = KubeConnection.Open(new KubeConnectionOptions { KubeconfigPath = Path.GetFullPath(kubeconfig) });
        var client = new SparkApplications(connection, new SparkApplicationsOptions { Namespace = "kindling" });
        using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(5));
        var self = Process.GetCurrentProcess();
        int initial = 0, events = 0;
        var wall = new Stopwatch();
        TimeSpan cpuStart = default, cpuWarm = default;
        var wallWarm = TimeSpan.Zero;
        var rounds = new List<double>();
        var roundCpu = TimeSpan.Zero;
        // Managed heap before anything is tracked; after the initial list, the difference is what tracking costs.
        var heapBefore = GC.GetTotalMemory(forceFullCollection: true);
        long heapTracking = 0;
        var listStart = Stopwatch.StartNew();
        double listMs = 0;
        try
        {
        await foreach (var app in client.WatchAsync(timeout.Token))
        {
            if (Environment.GetEnvironmentVariable("TRACK_DEBUG") == "1") Console.Error.WriteLine($"{app.AppId} {app.State} {app.ExecutorsRunning}");
            if (initial < apps)
            {
                if (++initial == apps)
                {
                    listMs = listStart.Elapsed.TotalMilliseconds;
                    heapTracking = GC.GetTotalMemory(forceFullCollection: true) - heapBefore;
                    self.Refresh();
                    cpuStart = roundCpu = self.TotalProcessorTime;
                    wall.Start();
                    await File.WriteAllTextAsync(readyFile, "go");
                }
                continue;
            }
            ++events;
            if (events == warmup || events % apps == 0)
            {
                self.Refresh();
                var cpuNow = self.TotalProcessorTime;
                if (events == warmup)
                {
                    cpuWarm = cpuNow;
                    wallWarm = wall.Elapsed;
                }
                if (events % apps == 0)
                {
                    rounds.Add((cpuNow - roundCpu).TotalMicroseconds / apps);
                    roundCpu = cpuNow;
                }
            }
            if (events == expect) break;
        }
        }
        catch (OperationCanceledException)
        {
            Console.Error.WriteLine($"timed out: initial={initial} events={events}");
            return 1;
        }
        wall.Stop();
        self.Refresh();
        var cpu = self.TotalProcessorTime - cpuStart;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"apps={apps} initial-list-ms={listMs:0} events={events} wall-s={wall.Elapsed.TotalSeconds:0.000} events-per-s={events / wall.Elapsed.TotalSeconds:0} cpu-us-per-event={cpu.TotalMicroseconds / events:0.0} heap-mb-per-1000-apps={heapTracking / 1048576.0 * 1000 / apps:0.0} peak-mb={self.PeakWorkingSet64 / 1048576.0:0}"));
        if (warmup > 0 && warmup < events)
        {
            var steady = cpu - (cpuWarm - cpuStart);
            var steadyWall = wall.Elapsed - wallWarm;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"warm-up: first {warmup} events cpu-us-per-event={(cpuWarm - cpuStart).TotalMicroseconds / warmup:0.0}; steady state: next {events - warmup} events cpu-us-per-event={steady.TotalMicroseconds / (events - warmup):0.0} events-per-s={(events - warmup) / steadyWall.TotalSeconds:0}"));
        }
        Console.WriteLine("cpu-us-per-event by round of " + apps + " events: "
                          + string.Join(' ', rounds.Select(r => r.ToString("0", CultureInfo.InvariantCulture))));
        return 0;
    }
}
