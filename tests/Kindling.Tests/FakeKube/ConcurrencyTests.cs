using k8s;
using k8s.Models;
using Kindling.Cluster;

namespace Kindling.Tests.FakeKube;

public sealed class ConcurrencyTests
{
    [Fact]
    public async Task Concurrent_writers_and_a_watcher_see_a_consistent_history()
    {
        await using var h = await FakeKubeHarness.StartAsync();
        var start = (await h.Client.CoreV1.ListNamespacedConfigMapAsync("team")).Metadata.ResourceVersion;
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        var seen = new List<(WatchEventType Type, string Name, long Rv)>();
        var done = new TaskCompletionSource();
        const int Writers = 8, Writes = 10;
        var watch = Task.Run(async () =>
        {
            await foreach (var (type, cm) in h.Client.CoreV1.WatchListNamespacedConfigMapAsync("team", labelSelector: "load=yes", resourceVersion: start, cancellationToken: cts.Token))
            {
                seen.Add((type, cm.Metadata.Name, long.Parse(cm.Metadata.ResourceVersion)));
                if (seen.Count == Writers * Writes)
                {
                    return;
                }
            }
        }, cts.Token);

        await Task.WhenAll(Enumerable.Range(0, Writers).Select(w => Task.Run(async () =>
        {
            for (var i = 0; i < Writes; i++)
            {
                var map = new V1ConfigMap
                {
                    ApiVersion = "v1",
                    Kind = "ConfigMap",
                    Metadata = new V1ObjectMeta { Name = $"w{w}", Labels = new Dictionary<string, string> { ["load"] = "yes" } },
                    Data = new Dictionary<string, string> { ["i"] = i.ToString(System.Globalization.CultureInfo.InvariantCulture) },
                };
                await h.Client.CoreV1.PatchNamespacedConfigMapAsync(new V1Patch(KubernetesJson.Serialize(map), V1Patch.PatchType.ApplyPatch), $"w{w}", "team", fieldManager: $"writer-{w}");
            }
        }, cts.Token)));
        await watch;

        seen.Select(s => s.Rv).Should().BeInAscendingOrder().And.OnlyHaveUniqueItems();
        seen.Count(s => s.Type == WatchEventType.Added).Should().Be(Writers);
        h.Kube.Objects.List<V1ConfigMap>("team", "load=yes").Should().HaveCount(Writers).And.OnlyContain(c => c.Data["i"] == (Writes - 1).ToString(System.Globalization.CultureInfo.InvariantCulture));
        h.Kube.Requests.Count(r => r.StatusCode >= 500).Should().Be(0);
    }
}
