using k8s.Models;
using Kindling.Configuration;

namespace Kindling.Tests.Cluster;

/// <summary>
/// <c>up</c> applies the Cluster Autoscaler (ServiceAccount with its IRSA role, RBAC, Deployment in kube-system) only
/// on Kindling's EKS: the saved Terraform outputs name the current cluster and hold the autoscaler's role. Anywhere
/// else nothing is written to kube-system or at cluster scope. <c>down</c>, with or without <c>--purge</c>, keeps it
/// and says why.
/// </summary>
public sealed class ClusterAutoscalerUpTests
{
    private const string RoleArn = "arn:aws:iam::123456789012:role/kindling-cluster-autoscaler";
    private const string Autoscaler = "cluster-autoscaler";
    private const string KubeSystem = "kube-system";

    private static void SaveOutputs(ClusterTestBed bed, string endpoint) =>
        LocalStateStore.For(null, bed.Dir.Path).Update(s => s with
        {
            Terraform = new TerraformOutputs
            {
                SparkRepositoryUrl = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/spark",
                JupyterRepositoryUrl = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/jupyter",
                ClusterName = "kindling",
                ClusterEndpoint = endpoint,
                ClusterCertificateAuthority = "",
                ClusterAutoscalerRoleArn = RoleArn,
            },
        });

    private static void OnKindlingEks(ClusterTestBed bed)
    {
        // The EBS CSI add-on's driver and controller, and a node labelled as a managed node group labels it, so the
        // rest of up (gp3 class, on-demand notebook) works as on a real EKS cluster.
        bed.Kube.Objects.Create(new V1CSIDriver { Metadata = new V1ObjectMeta { Name = "ebs.csi.aws.com" }, Spec = new V1CSIDriverSpec() }, null);
        bed.Kube.Objects.Create(new V1Pod
        {
            Metadata = new V1ObjectMeta { Name = "ebs-csi-controller-0", Labels = new Dictionary<string, string> { ["app"] = "ebs-csi-controller" } },
            Spec = new V1PodSpec { NodeName = "fake-node-1", Containers = [new V1Container { Name = "ebs-plugin", Image = "public.ecr.aws/ebs-csi-driver/aws-ebs-csi-driver:v1.37.0" }] },
            Status = new V1PodStatus { Phase = "Running", Conditions = [new V1PodCondition { Type = "Ready", Status = "True" }] },
        }, KubeSystem, keepStatus: true);
        bed.Kube.Objects.Update<V1Node>(null, "fake-node-1", n => n.Metadata.Labels[Kindling.Resources.NodePools.CapacityTypeLabel] = Kindling.Resources.NodePools.OnDemand);
        SaveOutputs(bed, bed.Kube.Uri.ToString());
    }

    [Fact]
    public async Task Up_on_kindlings_eks_applies_the_autoscaler_and_down_keeps_it_with_the_reason()
    {
        await using var bed = await ClusterTestBed.StartAsync();
        OnKindlingEks(bed);

        var up = await bed.RunAsync("up", "--timeout", "30s");

        up.ExitCode.Should().Be(0, up.ToString());
        var account = bed.Kube.Objects.Get<V1ServiceAccount>(KubeSystem, Autoscaler)!;
        account.Metadata.Annotations.Should().Contain("eks.amazonaws.com/role-arn", RoleArn);
        var deployment = bed.Kube.Objects.Get<V1Deployment>(KubeSystem, Autoscaler)!;
        var pod = deployment.Spec.Template.Spec;
        pod.ServiceAccountName.Should().Be(Autoscaler);
        // Version-matched to the cluster's minor, and discovering only this cluster's tagged groups.
        var minor = EksVersions.Get(new EnvironmentSpec().Aws.KubernetesVersion);
        pod.Containers.Single().Image.Should().Be($"registry.k8s.io/autoscaling/cluster-autoscaler:v{minor.ClusterAutoscalerVersion}");
        pod.Containers.Single().Args.Should().Contain("--node-group-auto-discovery=asg:tag=k8s.io/cluster-autoscaler/enabled,k8s.io/cluster-autoscaler/kindling");
        bed.Kube.Objects.Exists<V1Role>(KubeSystem, Autoscaler).Should().BeTrue();
        bed.Kube.Objects.Exists<V1RoleBinding>(KubeSystem, Autoscaler).Should().BeTrue();
        bed.Kube.Objects.Get<V1ClusterRole>(null, Autoscaler)!.Rules.Should().Contain(r => r.Resources.Contains("pods/eviction"));
        bed.Kube.Objects.Get<V1ClusterRoleBinding>(null, Autoscaler)!.Subjects.Should().ContainSingle(s => s.Name == Autoscaler && s.NamespaceProperty == KubeSystem);

        var again = await bed.RunAsync("up", "--timeout", "30s", "-o", "json");
        again.ExitCode.Should().Be(0, again.ToString());
        System.Text.Json.JsonDocument.Parse(again.Stdout).RootElement.GetProperty("unchanged").GetBoolean().Should().BeTrue(again.Stdout);

        var down = await bed.RunAsync("down", "--purge", "--yes", "-o", "json");

        down.ExitCode.Should().Be(0, down.ToString());
        bed.Kube.Objects.Exists<V1Deployment>(KubeSystem, Autoscaler).Should().BeTrue();
        bed.Kube.Objects.Exists<V1ServiceAccount>(KubeSystem, Autoscaler).Should().BeTrue();
        bed.Kube.Objects.Exists<V1ClusterRole>(null, Autoscaler).Should().BeTrue();
        bed.Kube.Objects.Exists<V1ClusterRoleBinding>(null, Autoscaler).Should().BeTrue();
        bed.Kube.Objects.Exists<V1Namespace>(null, ClusterTestBed.Ns).Should().BeFalse("the purge itself went ahead");
        down.Stdout.Should().Contain("Cluster Autoscaler shrinks the node groups back to their minimum");

        var text = await bed.RunAsync("down", "--yes");
        text.ExitCode.Should().Be(0, text.ToString());
        text.Stdout.Should().Contain("Deployment/cluster-autoscaler").And.Contain("kept (in kube-system; the Cluster Autoscaler");
    }

    [Fact]
    public async Task Down_leaves_an_autoscaler_kindling_did_not_create_unmentioned_and_untouched()
    {
        await using var bed = await ClusterTestBed.StartAsync();
        OnKindlingEks(bed);
        var up = await bed.RunAsync("up", "--timeout", "30s");
        up.ExitCode.Should().Be(0, up.ToString());
        // An admin takes the autoscaler over (e.g. re-installs it with Helm): it no longer carries the inventory label.
        bed.Kube.Objects.Update<V1Deployment>(KubeSystem, Autoscaler, d => d.Metadata.Labels.Remove(Kindling.Resources.KindlingLabels.Inventory));

        var down = await bed.RunAsync("down", "--yes");

        down.ExitCode.Should().Be(0, down.ToString());
        down.Stdout.Should().NotContain("Deployment/cluster-autoscaler");
        bed.Kube.Objects.Exists<V1Deployment>(KubeSystem, Autoscaler).Should().BeTrue();
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public async Task Up_anywhere_else_writes_nothing_to_kube_system_or_cluster_rbac(bool outputsOfAnotherCluster)
    {
        await using var bed = await ClusterTestBed.StartAsync();
        // Either no infrastructure at all, or Kindling's EKS exists but the kubeconfig points at another cluster.
        if (outputsOfAnotherCluster) SaveOutputs(bed, "https://ABCDEF0123456789.gr7.eu-west-1.eks.amazonaws.com");

        var up = await bed.RunAsync("up", "--timeout", "30s");

        up.ExitCode.Should().Be(0, up.ToString());
        bed.Kube.Objects.Exists<V1Deployment>(KubeSystem, Autoscaler).Should().BeFalse();
        bed.Kube.Objects.Exists<V1ServiceAccount>(KubeSystem, Autoscaler).Should().BeFalse();
        bed.Kube.Objects.Exists<V1Role>(KubeSystem, Autoscaler).Should().BeFalse();
        bed.Kube.Objects.Exists<V1ClusterRole>(null, Autoscaler).Should().BeFalse();
        bed.Kube.Objects.Exists<V1ClusterRoleBinding>(null, Autoscaler).Should().BeFalse();
        bed.Kube.Objects.Exists<V1Deployment>(ClusterTestBed.Ns, ClusterTestBed.Deployment).Should().BeTrue();
    }
}
