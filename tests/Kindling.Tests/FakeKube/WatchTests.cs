using k8s;
using k8s.Models;
using Kindling.Cluster;

namespace Kindling.Tests.FakeKube;

public sealed class WatchTests
{
    private static V1ConfigMap Map(string name, string app) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, Labels = new Dictionary<string, string> { ["app"] = app } },
    };

    [Fact]
    public async Task Watch_from_a_resource_version_streams_filtered_changes()
    {
        await using var h = await FakeKubeHarness.StartAsync();
        var list = await h.Client.CoreV1.ListNamespacedConfigMapAsync("team");
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var events = new List<(WatchEventType, string)>();
        var watch = Task.Run(async () =>
        {
            await foreach (var (type, item) in h.Client.CoreV1.WatchListNamespacedConfigMapAsync("team", labelSelector: "app=spark", resourceVersion: list.Metadata.ResourceVersion, cancellationToken: cts.Token))
            {
                events.Add((type, item.Metadata.Name));
                if (type == WatchEventType.Deleted)
                {
                    return;
                }
            }
        }, cts.Token);

        await h.Client.CoreV1.CreateNamespacedConfigMapAsync(Map("ignored", "other"), "team");
        await h.Client.CoreV1.CreateNamespacedConfigMapAsync(Map("a", "spark"), "team");
        var a = await h.Client.CoreV1.ReadNamespacedConfigMapAsync("a", "team");
        a.Data = new Dictionary<string, string> { ["x"] = "y" };
        await h.Client.CoreV1.ReplaceNamespacedConfigMapAsync(a, "a", "team");
        await h.Client.CoreV1.DeleteNamespacedConfigMapAsync("a", "team");
        await watch;

        events.Should().Equal((WatchEventType.Added, "a"), (WatchEventType.Modified, "a"), (WatchEventType.Deleted, "a"));
    }

    [Fact]
    public async Task Dropped_watches_end_and_expired_history_answers_410()
    {
        await using var h = await FakeKubeHarness.StartAsync();
        var rv = (await h.Client.CoreV1.ListNamespacedConfigMapAsync("team")).Metadata.ResourceVersion;
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        var errors = new List<Exception>();
        var seen = new TaskCompletionSource();
        var ended = Task.Run(async () =>
        {
            await foreach (var _ in h.Client.CoreV1.WatchListNamespacedConfigMapAsync("team", resourceVersion: rv, onError: errors.Add, cancellationToken: cts.Token))
            {
                seen.TrySetResult();
            }
        }, cts.Token);

        await h.Client.CoreV1.CreateNamespacedConfigMapAsync(Map("a", "x"), "team");
        await seen.Task.WaitAsync(cts.Token);
        h.Kube.Faults.DropWatches().Should().Be(1);

        // The stream is reset, not ended cleanly: KubernetesClient surfaces a transport error, as with a real proxy cut.
        var cut = await Record.ExceptionAsync(() => ended);
        cut.Should().BeAssignableTo<IOException>();

        h.Kube.Faults.ExpireWatchHistory();
        var gone = new List<Exception>();
        await foreach (var _ in h.Client.CoreV1.WatchListNamespacedConfigMapAsync("team", resourceVersion: rv, onError: gone.Add, cancellationToken: cts.Token))
        {
        }

        gone.OfType<KubernetesException>().Should().ContainSingle().Which.Status.Code.Should().Be(410);
    }
}
