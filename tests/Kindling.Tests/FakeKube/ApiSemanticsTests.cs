using System.Text;
using k8s;
using k8s.Models;
using Kindling.Cluster;

namespace Kindling.Tests.FakeKube;

/// <summary>Patch flavours, dry run, deletecollection, pagination, status subresource, watch options, graceful pod deletion.</summary>
public sealed class ApiSemanticsTests
{
    private static V1ConfigMap Map(string name, string app = "x") => new()
    {
        Metadata = new V1ObjectMeta { Name = name, Labels = new Dictionary<string, string> { ["app"] = app } },
        Data = new Dictionary<string, string> { ["a"] = "1" },
    };

    [Fact]
    public async Task Merge_json_and_strategic_patches_apply()
    {
        await using var h = await FakeKubeHarness.StartAsync();
        await h.Client.CoreV1.CreateNamespacedConfigMapAsync(Map("m"), "team");

        var merged = await h.Client.CoreV1.PatchNamespacedConfigMapAsync(new V1Patch("{\"data\":{\"a\":null,\"b\":\"2\"}}", V1Patch.PatchType.MergePatch), "m", "team");
        merged.Data.Should().BeEquivalentTo(new Dictionary<string, string> { ["b"] = "2" });

        var patched = await h.Client.CoreV1.PatchNamespacedConfigMapAsync(new V1Patch("[{\"op\":\"add\",\"path\":\"/data/c\",\"value\":\"3\"},{\"op\":\"remove\",\"path\":\"/data/b\"}]", V1Patch.PatchType.JsonPatch), "m", "team");
        patched.Data.Should().BeEquivalentTo(new Dictionary<string, string> { ["c"] = "3" });

        await h.Client.CoreV1.CreateNamespacedPodAsync(new V1Pod
        {
            Metadata = new V1ObjectMeta { Name = "p" },
            Spec = new V1PodSpec { Containers = [new V1Container { Name = "a", Image = "i:1" }, new V1Container { Name = "b", Image = "i:1" }] },
        }, "team");
        var pod = await h.Client.CoreV1.PatchNamespacedPodAsync(new V1Patch("{\"spec\":{\"containers\":[{\"name\":\"b\",\"image\":\"i:2\"}]}}", V1Patch.PatchType.StrategicMergePatch), "p", "team");
        pod.Spec.Containers.Select(c => (c.Name, c.Image)).Should().Equal(("a", "i:1"), ("b", "i:2"));
    }

    [Fact]
    public async Task Dry_run_changes_nothing_and_deletecollection_honours_selectors()
    {
        await using var h = await FakeKubeHarness.StartAsync();
        var rv = h.Kube.ResourceVersion;
        await h.Client.CoreV1.CreateNamespacedConfigMapAsync(Map("dry"), "team", dryRun: "All");
        h.Kube.Objects.Exists<V1ConfigMap>("team", "dry").Should().BeFalse();
        h.Kube.ResourceVersion.Should().Be(rv);

        await h.Client.CoreV1.CreateNamespacedConfigMapAsync(Map("a", "spark"), "team");
        await h.Client.CoreV1.CreateNamespacedConfigMapAsync(Map("b", "spark"), "team");
        await h.Client.CoreV1.CreateNamespacedConfigMapAsync(Map("c", "other"), "team");
        await h.Client.CoreV1.DeleteCollectionNamespacedConfigMapAsync("team", labelSelector: "app=spark");
        h.Kube.Objects.List<V1ConfigMap>("team").Select(c => c.Metadata.Name).Should().Equal("c");
    }

    [Fact]
    public async Task Lists_paginate_with_limit_and_continue_and_generate_name_works()
    {
        await using var h = await FakeKubeHarness.StartAsync();
        for (var i = 0; i < 5; i++)
        {
            await h.Client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { GenerateName = "gen-" } }, "team");
        }

        var names = new List<string>();
        string? token = null;
        do
        {
            var page = await h.Client.CoreV1.ListNamespacedConfigMapAsync("team", limit: 2, continueParameter: token);
            page.Items.Count.Should().BeLessThanOrEqualTo(2);
            names.AddRange(page.Items.Select(i => i.Metadata.Name));
            token = page.Metadata.ContinueProperty;
        }
        while (!string.IsNullOrEmpty(token));

        names.Should().HaveCount(5).And.OnlyHaveUniqueItems().And.AllSatisfy(n => n.Should().MatchRegex("^gen-[a-z0-9]{5}$"));
    }

    [Fact]
    public async Task Status_subresource_and_main_resource_ignore_each_others_fields()
    {
        await using var h = await FakeKubeHarness.StartAsync();
        h.Kube.Controllers.Deployments = false;
        await h.Client.AppsV1.CreateNamespacedDeploymentAsync(ControllerTests.Deployment("d"), "team");

        var d = await h.Client.AppsV1.ReadNamespacedDeploymentAsync("d", "team");
        d.Status = new V1DeploymentStatus { Replicas = 42 };
        d.Spec.Replicas = 3;
        var main = await h.Client.AppsV1.ReplaceNamespacedDeploymentAsync(d, "d", "team");
        main.Spec.Replicas.Should().Be(3);
        main.Status?.Replicas.Should().NotBe(42);
        main.Metadata.Generation.Should().Be(2);

        main.Status = new V1DeploymentStatus { Replicas = 7 };
        main.Spec.Replicas = 9;
        var status = await h.Client.AppsV1.ReplaceNamespacedDeploymentStatusAsync(main, "d", "team");
        status.Status.Replicas.Should().Be(7);
        status.Spec.Replicas.Should().Be(3);
    }

    [Fact]
    public async Task Watch_sends_initial_state_then_bookmarks_when_allowed()
    {
        await using var h = await FakeKubeHarness.StartAsync();
        await h.Client.CoreV1.CreateNamespacedConfigMapAsync(Map("a"), "team");
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var types = new List<WatchEventType>();
        await foreach (var (type, _) in h.Client.CoreV1.WatchListConfigMapForAllNamespacesAsync(allowWatchBookmarks: true, labelSelector: "app=x", cancellationToken: cts.Token))
        {
            types.Add(type);
            if (type == WatchEventType.Bookmark)
            {
                break;
            }
        }

        types.Should().Equal(WatchEventType.Added, WatchEventType.Bookmark);
    }

    [Fact]
    public async Task Watch_ends_cleanly_after_timeout_seconds()
    {
        await using var h = await FakeKubeHarness.StartAsync();
        await h.Client.CoreV1.CreateNamespacedConfigMapAsync(Map("a"), "team");
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        var count = 0;
        await foreach (var _ in h.Client.CoreV1.WatchListNamespacedConfigMapAsync("team", labelSelector: "app=x", timeoutSeconds: 1, cancellationToken: cts.Token))
        {
            count++;
        }

        cts.IsCancellationRequested.Should().BeFalse();
        count.Should().Be(1);
    }

    [Fact]
    public async Task Scheduled_pods_terminate_gracefully_when_a_grace_period_is_set()
    {
        await using var h = await FakeKubeHarness.StartAsync();
        async Task CreateRunningAsync(string name)
        {
            await h.Client.CoreV1.CreateNamespacedPodAsync(new V1Pod
            {
                Metadata = new V1ObjectMeta { Name = name },
                Spec = new V1PodSpec { Containers = [new V1Container { Name = "a", Image = "i:1" }] },
            }, "team");
            h.Kube.Pods.Running("team", name);
        }

        h.Kube.Pods.TerminationGracePeriod = TimeSpan.FromMinutes(10);
        await CreateRunningAsync("slow");
        var deleted = await h.Client.CoreV1.DeleteNamespacedPodAsync("slow", "team");
        deleted.Metadata.DeletionTimestamp.Should().NotBeNull();
        (await h.Client.CoreV1.ReadNamespacedPodAsync("slow", "team")).Metadata.DeletionTimestamp.Should().NotBeNull();
        await h.Client.CoreV1.DeleteNamespacedPodAsync("slow", "team", gracePeriodSeconds: 0);
        h.Kube.Objects.Exists<V1Pod>("team", "slow").Should().BeFalse();

        h.Kube.Pods.TerminationGracePeriod = TimeSpan.FromMilliseconds(50);
        await CreateRunningAsync("quick");
        await h.Client.CoreV1.DeleteNamespacedPodAsync("quick", "team");
        await h.Kube.Objects.WaitUntilAsync(() => !h.Kube.Objects.Exists<V1Pod>("team", "quick"));
    }

    [Fact]
    public async Task Requests_without_the_token_get_401()
    {
        await using var h = await FakeKubeHarness.StartAsync();
        using var handler = new HttpClientHandler { ServerCertificateCustomValidationCallback = (_, _, _, _) => true };
        using var http = new HttpClient(handler);
        var response = await http.GetAsync(new Uri(h.Kube.Uri, "api/v1/namespaces"));
        ((int)response.StatusCode).Should().Be(401);
        (await response.Content.ReadAsStringAsync()).Should().Contain("\"reason\":\"Unauthorized\"");
        Encoding.UTF8.GetByteCount(h.Kube.CertificateAuthorityPem).Should().BeGreaterThan(0);
    }
}
