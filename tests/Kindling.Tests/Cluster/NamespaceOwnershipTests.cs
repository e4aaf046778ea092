using k8s.Models;
using Kindling.Cluster;
using Kindling.Spark;

namespace Kindling.Tests.Cluster;

/// <summary>Issue 10 §1: Kindling never takes over or deletes what it did not create.</summary>
public sealed class NamespaceOwnershipTests
{
    private static V1Namespace TeamNamespace() => new()
    {
        ApiVersion = "v1",
        Kind = "Namespace",
        Metadata = new V1ObjectMeta
        {
            Name = ClusterTestBed.Ns,
            Labels = new Dictionary<string, string> { ["pod-security.kubernetes.io/enforce"] = "restricted", ["team"] = "data" },
            Annotations = new Dictionary<string, string> { ["owner"] = "data-team" },
        },
    };

    [Fact]
    public async Task An_existing_namespace_is_used_as_is_and_purge_keeps_it_with_the_other_teams_objects()
    {
        await using var bed = await ClusterTestBed.StartAsync();
        bed.Kube.Objects.Create(TeamNamespace());
        bed.Kube.Objects.Create(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "other-team-config" }, Data = new Dictionary<string, string> { ["a"] = "b" } }, ClusterTestBed.Ns);
        var before = bed.Kube.Objects.Get<V1Namespace>(null, ClusterTestBed.Ns)!;

        var up = await bed.RunAsync("up");

        up.ExitCode.Should().Be(0, up.ToString());
        up.Stdout.Should().MatchRegex(@"Namespace/kindling\s+kept \(exists and was not created by Kindling; used as is");
        var after = bed.Kube.Objects.Get<V1Namespace>(null, ClusterTestBed.Ns)!;
        after.Metadata.ResourceVersion.Should().Be(before.Metadata.ResourceVersion, "not a single label or annotation was written");
        after.Metadata.Labels["pod-security.kubernetes.io/enforce"].Should().Be("restricted");
        bed.Kube.Requests.All.Should().NotContain(r => r.Resource == "namespaces" && (r.Verb == "patch" || r.Verb == "update" || r.Verb == "create"));

        var purge = await bed.RunAsync("down", "--purge", "--yes");

        purge.ExitCode.Should().Be(0, purge.ToString());
        purge.Stdout.Should().MatchRegex(@"Namespace/kindling\s+kept \(not created by Kindling\)");
        bed.Kube.Objects.Exists<V1Namespace>(null, ClusterTestBed.Ns).Should().BeTrue();
        bed.Kube.Objects.Exists<V1ConfigMap>(ClusterTestBed.Ns, "other-team-config").Should().BeTrue();
        bed.Kube.Objects.Exists<V1Deployment>(ClusterTestBed.Ns, ClusterTestBed.Deployment).Should().BeFalse("Kindling's own objects are deleted");
        bed.Kube.Objects.Exists<V1PersistentVolumeClaim>(ClusterTestBed.Ns, ClusterTestBed.Claim).Should().BeFalse();
    }

    [Fact]
    public async Task A_namespace_Kindling_created_is_annotated_at_creation_and_purged_only_when_it_holds_only_Kindlings_objects()
    {
        await using var bed = await ClusterTestBed.StartAsync();
        (await bed.RunAsync("up")).ExitCode.Should().Be(0);
        var created = bed.Kube.Objects.Get<V1Namespace>(null, ClusterTestBed.Ns)!;
        created.Metadata.Annotations[NamespaceOwnership.CreatedByAnnotation].Should().Be("kindling");
        bed.Kube.Requests.All.Should().Contain(r => r.Resource == "namespaces" && r.Verb == "create");
        bed.Kube.Requests.All.Should().NotContain(r => r.Resource == "namespaces" && r.Verb == "patch", "the namespace is created, never applied");
        bed.Kube.Objects.Create(new V1Secret { Metadata = new V1ObjectMeta { Name = "someone-elses" } }, ClusterTestBed.Ns);

        var purge = await bed.RunAsync("down", "--purge", "--yes");

        purge.ExitCode.Should().Be(0, purge.ToString());
        purge.Stdout.Should().Contain("holds 1 object(s) that are not Kindling's: Secret/someone-elses");
        bed.Kube.Objects.Exists<V1Namespace>(null, ClusterTestBed.Ns).Should().BeTrue();
        bed.Kube.Objects.Exists<V1Secret>(ClusterTestBed.Ns, "someone-elses").Should().BeTrue();

        bed.Kube.Objects.Delete<V1Secret>(ClusterTestBed.Ns, "someone-elses");
        var again = await bed.RunAsync("down", "--purge", "--yes");

        again.ExitCode.Should().Be(0, again.ToString());
        again.Stdout.Should().MatchRegex(@"Namespace/kindling\s+deleted");
        bed.Kube.Objects.Exists<V1Namespace>(null, ClusterTestBed.Ns).Should().BeFalse();
    }

    [Fact]
    public async Task Up_needs_no_namespace_rights_when_the_namespace_exists()
    {
        await using var bed = await ClusterTestBed.StartAsync();
        bed.Kube.Objects.Create(TeamNamespace());
        bed.Kube.Permissions.Deny("create", "namespaces");
        bed.Kube.Permissions.Deny("patch", "namespaces");

        var up = await bed.RunAsync("up");

        up.ExitCode.Should().Be(0, up.ToString());
    }

    [Fact]
    public async Task Up_asks_for_create_namespaces_only_when_the_namespace_is_missing()
    {
        await using var bed = await ClusterTestBed.StartAsync();
        bed.Kube.Permissions.Deny("create", "namespaces");

        var up = await bed.RunAsync("up");

        up.ExitCode.Should().Be(1, up.ToString());
        up.Stderr.Should().Contain("create namespaces (cluster-wide)").And.NotContain("patch namespaces");
        bed.Kube.Objects.Exists<V1Namespace>(null, ClusterTestBed.Ns).Should().BeFalse();
    }

    [Fact]
    public async Task Down_says_which_Spark_applications_remain_and_down_apps_stops_them_first()
    {
        await using var bed = await ClusterTestBed.StartAsync();
        (await bed.RunAsync("up")).ExitCode.Should().Be(0);
        var driver = bed.Kube.Objects.Create(new V1Pod
        {
            Metadata = new V1ObjectMeta
            {
                Name = "etl-1-driver",
                Labels = new Dictionary<string, string> { [SparkConventions.AppIdLabel] = "spark-etl1", [SparkConventions.RoleLabel] = SparkConventions.DriverRole },
            },
            Spec = new V1PodSpec { SecurityContext = SparkPodSecurity.Pod(), Containers = [new V1Container { Name = SparkConventions.DriverContainerName, Image = "spark", SecurityContext = SparkPodSecurity.Container() }] },
        }, ClusterTestBed.Ns);
        var owner = new V1OwnerReference { ApiVersion = "v1", Kind = "Pod", Name = driver.Metadata.Name, Uid = driver.Metadata.Uid, Controller = true };
        bed.Kube.Objects.Create(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "spark-drv-1-conf-map", OwnerReferences = [owner] } }, ClusterTestBed.Ns);
        bed.Kube.Objects.Create(new V1Pod
        {
            Metadata = new V1ObjectMeta
            {
                Name = "etl-1-exec-1",
                Labels = new Dictionary<string, string> { [SparkConventions.AppIdLabel] = "spark-etl1", [SparkConventions.RoleLabel] = SparkConventions.ExecutorRole },
                OwnerReferences = [owner],
            },
            Spec = new V1PodSpec { SecurityContext = SparkPodSecurity.Pod(), Containers = [new V1Container { Name = SparkConventions.ExecutorContainerName, Image = "spark", SecurityContext = SparkPodSecurity.Container() }] },
        }, ClusterTestBed.Ns);

        var down = await bed.RunAsync("down", "--yes");

        down.ExitCode.Should().Be(0, down.ToString());
        down.Stdout.Should().Contain("Left running: 1 driver pod(s) (1 running), 1 executor pod(s) and 1 ConfigMap/Service object(s) of 1 Spark application(s)")
            .And.Contain("kindling down --apps");
        bed.Kube.Objects.Exists<V1Pod>(ClusterTestBed.Ns, "etl-1-driver").Should().BeTrue();

        var purge = await bed.RunAsync("down", "--purge", "--yes");
        purge.Stdout.Should().Contain("that are not Kindling's").And.Contain("Pod/etl-1-driver");
        bed.Kube.Objects.Exists<V1Namespace>(null, ClusterTestBed.Ns).Should().BeTrue("running applications are not deleted with the namespace");

        var apps = await bed.RunAsync("down", "--purge", "--apps", "--yes");

        apps.ExitCode.Should().Be(0, apps.ToString());
        apps.Stdout.Should().Contain("Stopped 1 Spark application(s): spark-etl1");
        bed.Kube.Objects.Exists<V1Pod>(ClusterTestBed.Ns, "etl-1-driver").Should().BeFalse();
        bed.Kube.Objects.Exists<V1Namespace>(null, ClusterTestBed.Ns).Should().BeFalse();
    }
}
