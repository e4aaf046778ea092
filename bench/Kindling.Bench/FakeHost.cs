using System.Globalization;
using k8s.Models;
using Kindling.Testing.FakeKube;

namespace Kindling.Bench;

/// <summary>
/// Runs the fake API server as its own process for whole-command timings, so the measured CLI or tracker
/// process pays only for itself. Prints <c>pod-request &lt;unix-ms&gt;</c> whenever a pod create arrives, and can
/// drive a load of pod status changes for the tracker measurement.
/// </summary>
internal static class FakeHost
{
    /// <summary>
    /// <paramref name="apps"/> applications of a driver and two executors each, created through the fake's API (so
    /// each pod carries the managedFields of its writers) and set Running as a kubelet would write it.
    /// </summary>
    public static void Populate(FakeKubeServer kube, int apps)
    {
        // The fake's one small node would otherwise refuse to schedule thousands of 1-core pods.
        if (apps > 0) kube.Controllers.Scheduling = false;
        for (var i = 0; i < apps; i++)
        {
            // Executors point at the uid the server gave the driver; a dangling owner would be garbage-collected.
            var driver = kube.Objects.Create(SparkPodFactory.Driver(i), "kindling", manager: "kindling");
            foreach (var id in new[] { 1, 2 })
            {
                var executor = SparkPodFactory.Executor(i, id);
                executor.Metadata.OwnerReferences[0].Uid = driver.Metadata.Uid;
                // Spark's driver creates its executors with the fabric8 client.
                kube.Objects.Create(executor, "kindling", manager: "okhttp");
            }
            kube.Pods.Running("kindling", $"app-{i}-driver");
            kube.Pods.Running("kindling", $"app-{i}-exec-1");
            kube.Pods.Running("kindling", $"app-{i}-exec-2");
        }
    }

    public static async Task<int> RunAsync(string[] args)
    {
        string Arg(string name, string fallback) => args.SkipWhile(a => a != name).Skip(1).FirstOrDefault() ?? fallback;
        var kubeconfig = Arg("--kubeconfig", "kubeconfig");
        var apps = int.Parse(Arg("--apps", "0"), CultureInfo.InvariantCulture);
        var rounds = int.Parse(Arg("--rounds", "0"), CultureInfo.InvariantCulture);
        var readyFile = Arg("--ready-file", "");

        await using var kube = await FakeKubeServer.StartAsync(new FakeKubeOptions { WatchHistory = Math.Max(2000, apps * 3 * (rounds + 1) + 100) });
        // --auto-ready: pods become Running and Ready once scheduled, so `up` measures its own work, not a kubelet.
        kube.Pods.AutoReady = args.Contains("--auto-ready");
        // Without applications the namespace is left to `kindling up` to create, as on a fresh cluster.
        if (apps > 0 || !args.Contains("--auto-ready"))
            kube.Objects.Create(new V1Namespace { ApiVersion = "v1", Kind = "Namespace", Metadata = new V1ObjectMeta { Name = "kindling" } });
        Populate(kube, apps);
        if (apps > 0)
        {
            // The sizes the tracker and `apps` read, as the server sends them (spec, managedFields, kubelet status).
            var driver = k8s.KubernetesJson.Serialize(kube.Pods.Get("kindling", "app-0-driver")).Length;
            var executor = k8s.KubernetesJson.Serialize(kube.Pods.Get("kindling", "app-0-exec-1")).Length;
            Console.WriteLine($"pod-bytes driver={driver} executor={executor}");
        }
        kube.WriteKubeconfig(kubeconfig);
        Console.WriteLine("ready");

        var stop = new CancellationTokenSource();
        _ = Task.Run(() => { Console.In.ReadToEnd(); stop.Cancel(); });
        if (rounds > 0)
        {
            while (!File.Exists(readyFile)) await Task.Delay(10, stop.Token);
            for (var r = 0; r < rounds; r++)
                for (var i = 0; i < apps; i++)
                    kube.Pods.Phase("kindling", $"app-{i}-exec-1", r % 2 == 0 ? "Pending" : "Running");
            Console.WriteLine("load-done");
        }

        var seen = 0;
        try
        {
            while (!stop.IsCancellationRequested)
            {
                var creates = kube.Requests.Count(q => q.Method == "POST" && q.Resource == "pods");
                if (creates > seen)
                {
                    seen = creates;
                    Console.WriteLine($"pod-request {DateTimeOffset.UtcNow.ToUnixTimeMilliseconds()}.{DateTimeOffset.UtcNow.Ticks % 10000:0000}");
                }
                await Task.Delay(1, stop.Token);
            }
        }
        catch (OperationCanceledException)
        {
        }
        return 0;
    }
}
