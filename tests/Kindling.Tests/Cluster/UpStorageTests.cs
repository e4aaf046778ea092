using k8s.Models;
using Kindling.Testing.FakeKube;

namespace Kindling.Tests.Cluster;

/// <summary>
/// <c>up</c> finds out before applying anything (doctor's storage-class preflight) whether the notebooks' PVC can ever
/// get a volume, against a fake that leaves such a claim Pending forever as a real cluster does.
/// </summary>
public sealed class UpStorageTests
{
    [Fact]
    public async Task A_cluster_without_a_default_storage_class_fails_before_anything_is_applied_naming_the_choices()
    {
        await using var bed = await ClusterTestBed.StartAsync(options: new FakeKubeOptions { DefaultStorageClass = null });
        bed.Kube.Objects.Create(new V1StorageClass { Metadata = new V1ObjectMeta { Name = "fast" }, Provisioner = "ebs.csi.aws.com", VolumeBindingMode = "Immediate" }, null);

        var result = await bed.RunAsync("up", "--timeout", "10s");

        result.ExitCode.Should().Be(1, result.ToString());
        result.Stderr.Should().Contain("the cluster has no default StorageClass (classes: fast)");
        result.Stderr.Should().Contain("set notebook.storageClass: fast").And.Contain("storageclass.kubernetes.io/is-default-class=true");
        bed.Kube.Requests.All.Should().NotContain(r => r.Verb == "patch" || r.Verb == "create" && !r.IsReview);
        bed.Kube.Objects.Exists<V1Namespace>(null, ClusterTestBed.Ns).Should().BeFalse();
    }

    [Fact]
    public async Task A_cluster_with_no_storage_class_at_all_says_to_install_a_provisioner()
    {
        await using var bed = await ClusterTestBed.StartAsync(options: new FakeKubeOptions { DefaultStorageClass = null });

        var result = await bed.RunAsync("up", "--timeout", "10s");

        result.ExitCode.Should().Be(1, result.ToString());
        result.Stderr.Should().Contain("no default StorageClass (classes: none)").And.Contain("aws-ebs-csi-driver");
        bed.Kube.Objects.Exists<V1Namespace>(null, ClusterTestBed.Ns).Should().BeFalse();
    }

    [Fact]
    public async Task A_configured_class_that_does_not_exist_fails_before_anything_is_applied()
    {
        await using var bed = await ClusterTestBed.StartAsync();
        File.WriteAllText(bed.Dir.File("kindling.yaml"), "notebook:\n  storageClass: gp33\n");

        var result = await bed.RunAsync("up", "--timeout", "10s");

        result.ExitCode.Should().Be(1, result.ToString());
        result.Stderr.Should().Contain("notebook.storageClass is gp33, but the cluster has no StorageClass of that name (it has: standard)");
        bed.Kube.Objects.Exists<V1Namespace>(null, ClusterTestBed.Ns).Should().BeFalse();
    }

    [Fact]
    public async Task A_wait_for_first_consumer_claim_pending_until_the_notebook_is_scheduled_is_not_a_failure()
    {
        // The fake's default class is kind's: WaitForFirstConsumer.
        await using var bed = await ClusterTestBed.StartAsync(autoReady: false);
        var up = bed.RunAsync("up", "--timeout", "20s");
        var pod = await bed.NotebookPodAsync();
        await bed.Kube.Objects.WaitForAsync<V1PersistentVolumeClaim>(ClusterTestBed.Ns, c => c.Status?.Phase == "Bound");
        bed.Kube.Pods.Running(ClusterTestBed.Ns, pod);

        var result = await up;

        result.ExitCode.Should().Be(0, result.ToString());
        bed.Kube.Objects.Get<V1PersistentVolumeClaim>(ClusterTestBed.Ns, ClusterTestBed.Claim)!.Spec.StorageClassName.Should().Be("standard");
    }
}
