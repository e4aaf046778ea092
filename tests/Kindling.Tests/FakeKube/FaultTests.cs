using System.Net;
using k8s;
using k8s.Autorest;
using Kindling.Testing.FakeKube;

namespace Kindling.Tests.FakeKube;

public sealed class FaultTests
{
    [Fact]
    public async Task Injected_failures_hit_only_matching_requests_then_stop()
    {
        await using var h = await FakeKubeHarness.StartAsync();
        h.Kube.Faults.FailNext(2, 429, FaultInjector.Where(verb: "list", resource: "pods"));

        await h.Client.CoreV1.ListNamespacedConfigMapAsync("team");
        for (var i = 0; i < 2; i++)
        {
            var e = await Assert.ThrowsAsync<HttpOperationException>(() => h.Client.CoreV1.ListNamespacedPodAsync("team"));
            e.Response.StatusCode.Should().Be(HttpStatusCode.TooManyRequests);
            e.Response.Headers.Should().ContainKey("Retry-After");
        }

        await h.Client.CoreV1.ListNamespacedPodAsync("team");
        h.Kube.Faults.PendingFailures.Should().Be(0);

        h.Kube.Faults.FailNext(1, 503, pathFilter: "/configmaps");
        var unavailable = await CrudTests.Capture(() => h.Client.CoreV1.ListNamespacedConfigMapAsync("team"));
        unavailable.Code.Should().Be(503);
        unavailable.Reason.Should().Be("ServiceUnavailable");
        h.Kube.Requests.Count(r => r.Resource == "pods" && r.StatusCode == 429).Should().Be(2);
    }
}
