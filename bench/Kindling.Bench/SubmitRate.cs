using System.Diagnostics;
using System.Globalization;
using k8s.Models;
using Kindling.Cluster;
using Kindling.Operations.Spark;
using Kindling.Spark;
using Kindling.Testing.FakeKube;

namespace Kindling.Bench;

/// <summary>
/// Library submissions per minute against the fake API server in this same process (so its CPU is counted
/// against Kindling): the figure to compare with one spark-operator's ~30 jobs/min.
/// </summary>
internal static class SubmitRate
{
    public static async Task<int> RunAsync(string[] args)
    {
        var count = int.Parse(args.FirstOrDefault() ?? "200", CultureInfo.InvariantCulture);
        var dir = Directory.CreateTempSubdirectory("kindling-bench-").FullName;
        await using var kube = await FakeKubeServer.StartAsync();
        kube.Objects.Create(new V1Namespace { ApiVersion = "v1", Kind = "Namespace", Metadata = new V1ObjectMeta { Name = "kindling" } });
        var kubeconfig = Path.Combine(dir, "kubeconfig");
        kube.WriteKubeconfig(kubeconfig);
        using var connection = KubeConnection.Open(new KubeConnectionOptions { KubeconfigPath = kubeconfig });
        var apps = new SparkApplications(connection, new SparkApplicationsOptions
        {
            Namespace = "kindling",
            Target = new SparkSubmitTarget { Namespace = "kindling", Image = "kindling/spark:bench", ServiceAccount = "kindling-spark", SparkVersion = "3.5.5" },
        });
        var spec = new SparkApplicationSpec { Resource = "local:///opt/spark/examples/src/main/python/pi.py", Name = "rate" };
        for (var i = 0; i < 10; i++) await apps.SubmitAsync(spec, CancellationToken.None); // warm-up (JIT, connections)

        var latencies = new List<double>(count);
        var total = Stopwatch.StartNew();
        for (var i = 0; i < count; i++)
        {
            var one = Stopwatch.StartNew();
            await apps.SubmitAsync(spec, CancellationToken.None);
            latencies.Add(one.Elapsed.TotalMilliseconds);
        }
        total.Stop();
        latencies.Sort();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"submissions={count} jobs-per-min={count / total.Elapsed.TotalMinutes:0} median-ms={latencies[count / 2]:0.00} p99-ms={latencies[(int)Math.Min(count - 1, Math.Round(0.99 * (count - 1)))]:0.00} peak-mb={Process.GetCurrentProcess().PeakWorkingSet64 / 1048576.0:0}"));
        Directory.Delete(dir, recursive: true);
        return 0;
    }
}
