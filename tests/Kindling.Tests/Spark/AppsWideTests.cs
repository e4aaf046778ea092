using Kindling.Spark;

namespace Kindling.Tests.Spark;

/// <summary><c>apps -o wide</c> adds where each driver runs, as <c>kubectl get pods -o wide</c> adds the node.</summary>
public sealed class AppsWideTests
{
    [Fact]
    public async Task Wide_output_shows_the_driver_pod_and_its_node()
    {
        await using var cluster = await FakeSparkCluster.StartAsync();
        var (connection, apps) = cluster.Client();
        using var _ = connection;
        var scheduled = await apps.SubmitAsync(new SparkApplicationSpec { Resource = "local:///opt/app.py", Name = "placed" }, CancellationToken.None);
        var waiting = await apps.SubmitAsync(new SparkApplicationSpec { Resource = "local:///opt/app.py", Name = "waiting" }, CancellationToken.None);
        cluster.Kube.Pods.Schedule(FakeSparkCluster.Ns, scheduled.DriverPod);
        cluster.Kube.Pods.Running(FakeSparkCluster.Ns, scheduled.DriverPod);
        var node = cluster.DriverPod(scheduled.AppId).Spec.NodeName;
        node.Should().NotBeNullOrEmpty();

        var wide = await cluster.CliAsync("apps", "-o", "wide");
        var plain = await cluster.CliAsync("apps");

        wide.ExitCode.Should().Be(0, wide.ToString());
        var lines = wide.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var header = lines[0];
        header.Should().Contain("DRIVER POD").And.Contain("NODE");
        var row = lines.Single(l => l.Contains(scheduled.AppId, StringComparison.Ordinal));
        row.Should().Contain(scheduled.DriverPod).And.Contain(node);
        // The columns line up under their headers.
        row.IndexOf(scheduled.DriverPod, StringComparison.Ordinal).Should().Be(header.IndexOf("DRIVER POD", StringComparison.Ordinal));
        row.IndexOf(node, StringComparison.Ordinal).Should().Be(header.IndexOf("NODE", StringComparison.Ordinal));
        lines.Single(l => l.Contains(waiting.AppId, StringComparison.Ordinal)).Should().Contain(waiting.DriverPod);

        plain.ExitCode.Should().Be(0, plain.ToString());
        plain.Stdout.Should().NotContain("DRIVER POD").And.NotContain(node, "the default table stays narrow");
    }
}
