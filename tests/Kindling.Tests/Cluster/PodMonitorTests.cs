using k8s.Models;
using Kindling.Testing.FakeKube;

namespace Kindling.Tests.Cluster;

/// <summary>up creates a PodMonitor exactly when the cluster serves the Prometheus Operator's PodMonitor API.</summary>
public sealed class PodMonitorTests
{
    [Fact]
    public async Task Up_creates_a_pod_monitor_only_when_the_crd_is_installed()
    {
        await using var without = await ClusterTestBed.StartAsync();
        var plain = await without.RunAsync("up");
        plain.ExitCode.Should().Be(0, plain.ToString());
        without.Kube.Requests.All.Should().NotContain(r => r.Resource == "podmonitors");

        await using var bed = await ClusterTestBed.StartAsync();
        bed.Kube.Crds.Install("podmonitors.monitoring.coreos.com");
        var result = await bed.RunAsync("up");
        var again = await bed.RunAsync("up");

        result.ExitCode.Should().Be(0, result.ToString());
        again.ExitCode.Should().Be(0, again.ToString());
        var applies = bed.Kube.Requests.All.Where(r => r.Resource == "podmonitors" && r.Verb == "patch").ToList();
        applies.Should().HaveCount(2).And.OnlyContain(r => r.Name == "kindling-spark" && (r.StatusCode == 200 || r.StatusCode == 201));

        var down = await bed.RunAsync("down", "--yes");
        down.ExitCode.Should().Be(0, down.ToString());
        bed.Kube.Requests.All.Should().Contain(r => r.Resource == "podmonitors" && r.Verb == "delete" && r.StatusCode == 200);
    }
}
