using k8s.Models;
using Kindling.Configuration;

namespace Kindling.Tests.Cluster;

/// <summary>
/// On Kindling's EKS (local Terraform outputs whose endpoint is the current cluster) <c>up</c> applies the gp3
/// StorageClass and the notebooks' PVC uses it; <c>down</c> keeps it with the PVC and <c>down --purge</c> removes
/// it; a class of the same name Kindling did not create is never touched.
/// </summary>
public sealed class EksStorageLifecycleTests
{
    private static void OnKindlingEks(ClusterTestBed bed)
    {
        // The EBS CSI driver the Terraform module installs as an EKS add-on: its CSIDriver and a running controller.
        bed.Kube.Objects.Create(new V1CSIDriver { Metadata = new V1ObjectMeta { Name = "ebs.csi.aws.com" }, Spec = new V1CSIDriverSpec() }, null);
        bed.Kube.Objects.Create(new V1Pod
        {
            Metadata = new V1ObjectMeta { Name = "ebs-csi-controller-0", Labels = new Dictionary<string, string> { ["app"] = "ebs-csi-controller" } },
            Spec = new V1PodSpec { NodeName = "fake-node-1", Containers = [new V1Container { Name = "ebs-plugin", Image = "public.ecr.aws/ebs-csi-driver/aws-ebs-csi-driver:v1.37.0" }] },
            Status = new V1PodStatus { Phase = "Running", Conditions = [new V1PodCondition { Type = "Ready", Status = "True" }] },
        }, "kube-system", keepStatus: true);
        // EKS managed node groups label their nodes with the capacity type; the notebook is pinned to ON_DEMAND.
        bed.Kube.Objects.Update<V1Node>(null, "fake-node-1", n => n.Metadata.Labels[Kindling.Resources.NodePools.CapacityTypeLabel] = Kindling.Resources.NodePools.OnDemand);
        SaveOutputs(bed);
    }

    private static void SaveOutputs(ClusterTestBed bed) =>
        LocalStateStore.For(null, bed.Dir.Path).Update(s => s with
        {
            Terraform = new TerraformOutputs
            {
                SparkRepositoryUrl = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/spark",
                JupyterRepositoryUrl = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/jupyter",
                ClusterName = "kindling",
                ClusterEndpoint = bed.Kube.Uri.ToString(),
                ClusterCertificateAuthority = "",
            },
        });

    [Fact]
    public async Task Up_applies_the_gp3_class_the_claim_binds_after_scheduling_and_only_purge_deletes_the_class()
    {
        await using var bed = await ClusterTestBed.StartAsync();
        OnKindlingEks(bed);

        var up = await bed.RunAsync("up", "--timeout", "30s");

        up.ExitCode.Should().Be(0, up.ToString());
        var storageClass = bed.Kube.Objects.Get<V1StorageClass>(null, "kindling-gp3")!;
        storageClass.Provisioner.Should().Be("ebs.csi.aws.com");
        storageClass.Parameters.Should().Contain("type", "gp3").And.Contain("encrypted", "true");
        storageClass.VolumeBindingMode.Should().Be("WaitForFirstConsumer");
        storageClass.AllowVolumeExpansion.Should().BeTrue();
        var claim = bed.Kube.Objects.Get<V1PersistentVolumeClaim>(ClusterTestBed.Ns, ClusterTestBed.Claim)!;
        claim.Spec.StorageClassName.Should().Be("kindling-gp3");
        claim.Status.Phase.Should().Be("Bound");

        var again = await bed.RunAsync("up", "--timeout", "30s", "-o", "json");
        again.ExitCode.Should().Be(0, again.ToString());
        System.Text.Json.JsonDocument.Parse(again.Stdout).RootElement.GetProperty("unchanged").GetBoolean().Should().BeTrue(again.Stdout);

        var down = await bed.RunAsync("down", "--yes");
        down.ExitCode.Should().Be(0, down.ToString());
        bed.Kube.Objects.Exists<V1StorageClass>(null, "kindling-gp3").Should().BeTrue();
        bed.Kube.Objects.Exists<V1PersistentVolumeClaim>(ClusterTestBed.Ns, ClusterTestBed.Claim).Should().BeTrue();

        var purge = await bed.RunAsync("down", "--purge", "--yes");
        purge.ExitCode.Should().Be(0, purge.ToString());
        bed.Kube.Objects.Exists<V1StorageClass>(null, "kindling-gp3").Should().BeFalse();
        bed.Kube.Objects.Exists<V1StorageClass>(null, "standard").Should().BeTrue();
    }

    [Fact]
    public async Task A_class_of_the_same_name_that_kindling_did_not_create_is_refused_before_anything_is_applied()
    {
        await using var bed = await ClusterTestBed.StartAsync();
        OnKindlingEks(bed);
        bed.Kube.Objects.Create(new V1StorageClass { Metadata = new V1ObjectMeta { Name = "kindling-gp3" }, Provisioner = "ebs.csi.aws.com", VolumeBindingMode = "Immediate" }, null);

        var up = await bed.RunAsync("up", "--timeout", "10s");

        up.ExitCode.Should().Be(1, up.ToString());
        up.Stderr.Should().Contain("StorageClass kindling-gp3 already exists").And.Contain("notebook.storageClass: kindling-gp3");
        bed.Kube.Objects.Exists<V1Namespace>(null, ClusterTestBed.Ns).Should().BeFalse();
        bed.Kube.Objects.Get<V1StorageClass>(null, "kindling-gp3")!.VolumeBindingMode.Should().Be("Immediate");

        var purge = await bed.RunAsync("down", "--purge", "--yes");
        purge.ExitCode.Should().Be(0, purge.ToString());
        bed.Kube.Objects.Exists<V1StorageClass>(null, "kindling-gp3").Should().BeTrue();
    }
}
