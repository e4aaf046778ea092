using System.Text.Json;
using k8s.Models;
using Kindling.Spark;

namespace Kindling.Tests.Cluster;

/// <summary><c>down --apps</c> stops applications as <c>kill</c> does, and keeps how each ended (or that it was stopped) with the notebooks.</summary>
public sealed class DownAppsRecordTests
{
    private static V1Pod Driver(ClusterTestBed bed, string name, string appId) => bed.Kube.Objects.Create(new V1Pod
    {
        Metadata = new V1ObjectMeta
        {
            Name = name,
            Labels = new Dictionary<string, string>
            {
                [SparkConventions.AppIdLabel] = appId,
                [SparkConventions.RoleLabel] = SparkConventions.DriverRole,
                [SparkConventions.AppNameLabel] = name,
            },
        },
        Spec = new V1PodSpec { SecurityContext = SparkPodSecurity.Pod(), Containers = [new V1Container { Name = SparkConventions.DriverContainerName, Image = "spark", SecurityContext = SparkPodSecurity.Container() }] },
    }, ClusterTestBed.Ns);

    [Fact]
    public async Task Down_apps_records_each_driver_before_deleting_it_and_purge_removes_the_record_with_the_PVC()
    {
        await using var bed = await ClusterTestBed.StartAsync();
        (await bed.RunAsync("up", "--timeout", "30s")).ExitCode.Should().Be(0);
        Driver(bed, "stream", "spark-stream1");
        bed.Kube.Pods.Schedule(ClusterTestBed.Ns, "stream");
        bed.Kube.Pods.Running(ClusterTestBed.Ns, "stream");
        Driver(bed, "batch", "spark-batch1");
        bed.Kube.Pods.Schedule(ClusterTestBed.Ns, "batch");
        bed.Kube.Pods.Failed(ClusterTestBed.Ns, "batch", "Error", 2);

        var down = await bed.RunAsync("down", "--apps", "--yes");

        down.ExitCode.Should().Be(0, down.ToString());
        bed.Kube.Objects.Exists<V1Pod>(ClusterTestBed.Ns, "stream").Should().BeFalse();
        var records = SparkExitRecords.Parse(bed.Kube.Objects.Get<V1ConfigMap>(ClusterTestBed.Ns, "kindling-spark-exits")!.Data);
        records["spark-stream1"].State.Should().Be(SparkExitRecords.Killed);
        records["spark-batch1"].Should().Match<SparkExitRecord>(r => r.State == "Failed" && r.Reason == "Error" && r.ExitCode == 2);

        var apps = await bed.RunAsync("apps", "-o", "json");
        apps.ExitCode.Should().Be(0, apps.ToString());
        JsonDocument.Parse(apps.Stdout).RootElement.EnumerateArray().Select(e => e.GetProperty("appId").GetString())
            .Should().BeEquivalentTo(["spark-stream1", "spark-batch1"]);

        var purge = await bed.RunAsync("down", "--purge", "--yes");
        purge.ExitCode.Should().Be(0, purge.ToString());
        bed.Kube.Objects.Exists<V1ConfigMap>(ClusterTestBed.Ns, "kindling-spark-exits").Should().BeFalse();
    }
}
