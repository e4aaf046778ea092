using k8s;
using k8s.Models;
using Kindling.Testing.FakeKube;

namespace Kindling.Tests.FakeKube;

/// <summary>The fake binds claims the way a real cluster does, from their StorageClass, failure modes included.</summary>
public sealed class StorageBindingTests
{
    private static V1PersistentVolumeClaim Claim(string name, string? storageClass = null) => new()
    {
        Metadata = new V1ObjectMeta { Name = name },
        Spec = new V1PersistentVolumeClaimSpec
        {
            AccessModes = ["ReadWriteOnce"],
            StorageClassName = storageClass,
            Resources = new V1VolumeResourceRequirements { Requests = new Dictionary<string, ResourceQuantity> { ["storage"] = new("10Gi") } },
        },
    };

    private static V1Pod PodUsing(string name, string claim) => new()
    {
        Metadata = new V1ObjectMeta { Name = name },
        Spec = new V1PodSpec
        {
            Containers = [new V1Container { Name = "c", Image = "i:1" }],
            Volumes = [new V1Volume { Name = "v", PersistentVolumeClaim = new V1PersistentVolumeClaimVolumeSource { ClaimName = claim } }],
        },
    };

    private static V1StorageClass StorageClass(string name, string mode, bool isDefault = false, string provisioner = "ebs.csi.aws.com") => new()
    {
        Metadata = new V1ObjectMeta
        {
            Name = name,
            Annotations = isDefault ? new Dictionary<string, string> { ["storageclass.kubernetes.io/is-default-class"] = "true" } : null,
        },
        Provisioner = provisioner,
        VolumeBindingMode = mode,
    };

    [Fact]
    public async Task Without_any_default_class_a_claim_stays_pending_forever_and_its_pod_is_unschedulable()
    {
        await using var h = await FakeKubeHarness.StartAsync(options: new FakeKubeOptions { DefaultStorageClass = null });

        await h.Client.CoreV1.CreateNamespacedPersistentVolumeClaimAsync(Claim("notebooks"), "team");
        await h.Client.CoreV1.CreateNamespacedPodAsync(PodUsing("jupyter", "notebooks"), "team");

        var noClass = await h.Kube.Objects.WaitForAsync<Corev1Event>("team", e => e.Reason == "FailedBinding");
        noClass.Message.Should().Be("no persistent volumes available for this claim and no storage class is set");
        noClass.Type.Should().Be("Normal");
        var scheduling = await h.Kube.Objects.WaitForAsync<Corev1Event>("team", e => e.Reason == "FailedScheduling");
        scheduling.Message.Should().Contain("pod has unbound immediate PersistentVolumeClaims");

        // Other work still flows through the controllers; the claim and pod are left where they are.
        await h.Client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "tick" } }, "team");
        await Task.Delay(300);
        var claim = await h.Client.CoreV1.ReadNamespacedPersistentVolumeClaimAsync("notebooks", "team");
        claim.Status.Phase.Should().Be("Pending");
        claim.Spec.StorageClassName.Should().BeNull();
        (await h.Client.CoreV1.ReadNamespacedPodAsync("jupyter", "team")).Spec.NodeName.Should().BeNull();
    }

    [Fact]
    public async Task A_default_class_created_later_is_assigned_retroactively_and_the_pod_then_schedules_and_binds_it()
    {
        await using var h = await FakeKubeHarness.StartAsync(options: new FakeKubeOptions { DefaultStorageClass = null });
        await h.Client.CoreV1.CreateNamespacedPersistentVolumeClaimAsync(Claim("notebooks"), "team");
        await h.Client.CoreV1.CreateNamespacedPodAsync(PodUsing("jupyter", "notebooks"), "team");
        await h.Kube.Objects.WaitForAsync<Corev1Event>("team", e => e.Reason == "FailedScheduling");

        await h.Client.StorageV1.CreateStorageClassAsync(StorageClass("gp3", "WaitForFirstConsumer", isDefault: true));

        var bound = await h.Kube.Objects.WaitForAsync<V1PersistentVolumeClaim>("team", c => c.Status?.Phase == "Bound");
        bound.Spec.StorageClassName.Should().Be("gp3");
        bound.Spec.VolumeName.Should().StartWith("pvc-");
        (await h.Client.CoreV1.ReadNamespacedPodAsync("jupyter", "team")).Spec.NodeName.Should().NotBeNull();
    }

    [Fact]
    public async Task An_immediate_class_binds_at_once_without_any_pod()
    {
        await using var h = await FakeKubeHarness.StartAsync();
        await h.Client.StorageV1.CreateStorageClassAsync(StorageClass("fast", "Immediate"));

        await h.Client.CoreV1.CreateNamespacedPersistentVolumeClaimAsync(Claim("data", "fast"), "team");

        var bound = await h.Kube.Objects.WaitForAsync<V1PersistentVolumeClaim>("team", c => c.Status?.Phase == "Bound");
        bound.Status.Capacity["storage"].ToString().Should().Be("10Gi");
    }

    [Fact]
    public async Task A_wait_for_first_consumer_class_binds_only_after_a_pod_using_the_claim_is_scheduled()
    {
        await using var h = await FakeKubeHarness.StartAsync();
        await h.Client.StorageV1.CreateStorageClassAsync(StorageClass("gp3", "WaitForFirstConsumer"));
        await h.Client.CoreV1.CreateNamespacedPersistentVolumeClaimAsync(Claim("notebooks", "gp3"), "team");
        await h.Kube.Objects.WaitForAsync<Corev1Event>("team", e => e.Reason == "WaitForFirstConsumer");

        // A pod that does not mount the claim changes nothing.
        await h.Client.CoreV1.CreateNamespacedPodAsync(new V1Pod
        {
            Metadata = new V1ObjectMeta { Name = "other" },
            Spec = new V1PodSpec { Containers = [new V1Container { Name = "c", Image = "i:1" }] },
        }, "team");
        await h.Kube.Objects.WaitForAsync<V1Pod>("team", p => p.Metadata.Name == "other" && p.Spec.NodeName is not null);
        (await h.Client.CoreV1.ReadNamespacedPersistentVolumeClaimAsync("notebooks", "team")).Status.Phase.Should().Be("Pending");

        await h.Client.CoreV1.CreateNamespacedPodAsync(PodUsing("jupyter", "notebooks"), "team");
        await h.Kube.Objects.WaitForAsync<V1PersistentVolumeClaim>("team", c => c.Status?.Phase == "Bound");
    }

    [Fact]
    public async Task A_missing_class_or_a_stopped_provisioner_leaves_the_claim_pending_with_the_real_events()
    {
        await using var h = await FakeKubeHarness.StartAsync();
        await h.Client.CoreV1.CreateNamespacedPersistentVolumeClaimAsync(Claim("typo", "gp33"), "team");
        var missing = await h.Kube.Objects.WaitForAsync<Corev1Event>("team", e => e.Reason == "ProvisioningFailed");
        missing.Message.Should().Be("storageclass.storage.k8s.io \"gp33\" not found");
        missing.Type.Should().Be("Warning");

        h.Kube.Controllers.StoppedProvisioners.Add("ebs.csi.aws.com");
        await h.Client.StorageV1.CreateStorageClassAsync(StorageClass("fast", "Immediate"));
        await h.Client.CoreV1.CreateNamespacedPersistentVolumeClaimAsync(Claim("data", "fast"), "team");
        var waiting = await h.Kube.Objects.WaitForAsync<Corev1Event>("team", e => e.Reason == "ExternalProvisioning");
        waiting.Message.Should().Contain("external provisioner 'ebs.csi.aws.com'");
        (await h.Client.CoreV1.ReadNamespacedPersistentVolumeClaimAsync("data", "team")).Status.Phase.Should().Be("Pending");
    }
}
