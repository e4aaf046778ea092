using k8s.Models;
using Kindling.Testing.FakeKube;

namespace Kindling.Tests.Doctor;

/// <summary>
/// <c>doctor</c>'s storage line on laptop clusters: k3s (k3d, Rancher Desktop, OrbStack) runs local-path in
/// kube-system, not where kind runs it; each laptop kind's own default class is named; a laptop cluster without a
/// default class is told how that tool restores it.
/// </summary>
public sealed class LocalStorageDoctorTests
{
    private static DoctorLine Storage(IReadOnlyList<DoctorLine> lines) => lines.Single(l => l.Check == "storage-class");

    [Fact]
    public async Task K3d_s_local_path_provisioner_is_found_in_kube_system()
    {
        await using var bed = await DoctorTestBed.StartAsync();
        bed.Kube.WriteKubeconfig(bed.Cluster.Kubeconfig, "k3d-demo");
        // k3s manifests/local-storage.yaml: class local-path, Deployment local-path-provisioner in kube-system.
        bed.Kube.Objects.Delete<V1Pod>("local-path-storage", "local-path-provisioner-7dc846544d-fake1");
        bed.Kube.Objects.Delete<V1StorageClass>(null, "standard");
        bed.Kube.Objects.Create(new V1StorageClass
        {
            Metadata = new V1ObjectMeta { Name = "local-path", Annotations = new Dictionary<string, string> { ["storageclass.kubernetes.io/is-default-class"] = "true" } },
            Provisioner = "rancher.io/local-path",
            VolumeBindingMode = "WaitForFirstConsumer",
        });
        bed.Kube.Objects.Create(new V1Pod
        {
            Metadata = new V1ObjectMeta { Name = "local-path-provisioner-5cf85fd84d-k3s01", Labels = new Dictionary<string, string> { ["app"] = "local-path-provisioner" } },
            Spec = new V1PodSpec { Containers = [new V1Container { Name = "local-path-provisioner", Image = "rancher/local-path-provisioner:v0.0.29" }] },
        }, "kube-system");
        bed.Kube.Pods.Running("kube-system", "local-path-provisioner-5cf85fd84d-k3s01", ready: true);

        var (result, lines) = await bed.JsonAsync();

        result.Stderr.Should().Contain("k3d: context 'k3d-demo' is k3d's");
        Storage(lines).Status.Should().Be("ok", result.ToString());
        Storage(lines).Found.Should().Contain("default StorageClass local-path (k3d's own)").And.Contain("1 of 1 controller pod(s) (app=local-path-provisioner in kube-system)");
    }

    [Fact]
    public async Task A_laptop_cluster_without_a_default_class_is_told_how_its_tool_restores_it()
    {
        await using var bed = await DoctorTestBed.StartAsync();
        bed.Kube.WriteKubeconfig(bed.Cluster.Kubeconfig, "minikube");
        bed.Kube.Objects.Update<V1StorageClass>(null, "standard", c => c.Metadata.Annotations.Remove("storageclass.kubernetes.io/is-default-class"));

        var (result, lines) = await bed.JsonAsync();

        result.ExitCode.Should().Be(1, result.ToString());
        Storage(lines).Status.Should().Be("fail");
        Storage(lines).Found.Should().Contain("this minikube cluster has no default StorageClass").And.Contain("minikube normally has 'standard'");
        Storage(lines).Fix.Should().Contain("minikube addons enable default-storageclass");
    }
}
