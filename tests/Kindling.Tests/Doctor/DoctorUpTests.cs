using k8s.Models;
using Kindling.Tests.Cluster;

namespace Kindling.Tests.Doctor;

/// <summary><c>up</c> runs doctor's cheap checks first: a doomed <c>up</c> fails before it applies anything.</summary>
public sealed class DoctorUpTests
{
    private static void NothingApplied(ClusterTestBed bed)
    {
        bed.Kube.Requests.All.Should().NotContain(r => r.Verb == "patch" || r.Verb == "update" || (r.Verb == "create" && !r.IsReview));
        bed.Kube.Objects.Exists<V1Namespace>(null, ClusterTestBed.Ns).Should().BeFalse();
    }

    [Fact]
    public async Task Up_without_a_default_StorageClass_fails_before_applying_anything()
    {
        await using var bed = await ClusterTestBed.StartAsync();
        bed.Kube.Objects.Delete<V1StorageClass>(null, "standard");

        var result = await bed.RunAsync("up");

        result.ExitCode.Should().Be(1, result.ToString());
        result.Stderr.Should().Contain("kindling up would fail").And.Contain("nothing was changed")
            .And.Contain("storage-class: notebook.storageClass is not set and the cluster has no default StorageClass")
            .And.Contain("Run 'kindling doctor'");
        NothingApplied(bed);
    }

    [Fact]
    public async Task Up_reports_every_doomed_reason_at_once()
    {
        await using var bed = await ClusterTestBed.StartAsync();
        bed.Kube.Objects.Delete<V1StorageClass>(null, "standard");
        bed.Kube.Objects.Update<V1Node>(null, "fake-node-1", n => n.Spec = new V1NodeSpec { Unschedulable = true });

        var result = await bed.RunAsync("up");

        result.ExitCode.Should().Be(1, result.ToString());
        result.Stderr.Should().Contain("storage-class:").And.Contain("capacity: no node can take pods");
        NothingApplied(bed);
    }

    [Fact]
    public async Task Up_into_a_namespace_whose_quota_cannot_hold_the_notebook_fails_early()
    {
        await using var bed = await ClusterTestBed.StartAsync();
        bed.Kube.Objects.Create(new V1Namespace { ApiVersion = "v1", Kind = "Namespace", Metadata = new V1ObjectMeta { Name = ClusterTestBed.Ns } });
        bed.Kube.Objects.Create(new V1ResourceQuota
        {
            ApiVersion = "v1", Kind = "ResourceQuota", Metadata = new V1ObjectMeta { Name = "tiny" },
            Spec = new V1ResourceQuotaSpec { Hard = new Dictionary<string, ResourceQuantity> { ["requests.memory"] = new("2Gi") } },
        }, ClusterTestBed.Ns);
        bed.Kube.Requests.Clear();

        var result = await bed.RunAsync("up");

        result.ExitCode.Should().Be(1, result.ToString());
        result.Stderr.Should().Contain("resource-quota: ResourceQuota tiny allows requests.memory 2Gi in total, less than the notebook pod");
        bed.Kube.Requests.All.Should().NotContain(r => r.Verb == "patch" || (r.Verb == "create" && !r.IsReview));
    }

    [Fact]
    public async Task Up_still_succeeds_when_only_executors_would_not_fit()
    {
        await using var bed = await ClusterTestBed.StartAsync();
        bed.Dir.Write("kindling.yaml", "spark:\n  executors:\n    instances: 20\n  dynamicAllocation:\n    maxExecutors: 20\n");

        var result = await bed.RunAsync("up", "-f", bed.Dir.File("kindling.yaml"));

        result.ExitCode.Should().Be(0, result.ToString());
        result.Stderr.Should().Contain("do not fit");
    }
}
