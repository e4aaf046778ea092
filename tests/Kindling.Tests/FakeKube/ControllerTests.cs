using k8s;
using k8s.Models;

namespace Kindling.Tests.FakeKube;

public sealed class ControllerTests
{
    internal static V1Deployment Deployment(string name, string image = "jupyter:1") => new()
    {
        Metadata = new V1ObjectMeta { Name = name },
        Spec = new V1DeploymentSpec
        {
            Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = name } },
            Template = new V1PodTemplateSpec
            {
                Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["app"] = name } },
                Spec = new V1PodSpec { Containers = [new V1Container { Name = "main", Image = image }] },
            },
        },
    };

    [Fact]
    public async Task Deployment_creates_replica_set_and_pod_and_reports_availability_from_pod_readiness()
    {
        await using var h = await FakeKubeHarness.StartAsync();
        await h.Client.AppsV1.CreateNamespacedDeploymentAsync(Deployment("jupyter"), "team");

        var pod = await h.Kube.Objects.WaitForAsync<V1Pod>("team", p => p.Metadata.Labels.ContainsKey("pod-template-hash"));
        pod.Metadata.Name.Should().MatchRegex("^jupyter-[a-z0-9]{10}-[a-z0-9]{5}$");
        pod.Metadata.OwnerReferences.Should().ContainSingle(o => o.Kind == "ReplicaSet" && o.Controller == true);
        var rs = h.Kube.Objects.Get<V1ReplicaSet>("team", pod.Metadata.OwnerReferences[0].Name)!;
        rs.Metadata.OwnerReferences.Should().ContainSingle(o => o.Kind == "Deployment" && o.Name == "jupyter");

        var scheduled = await h.Kube.Objects.WaitForAsync<V1Pod>("team", p => p.Spec.NodeName is not null);
        scheduled.Status.Phase.Should().Be("Pending");
        scheduled.Status.ContainerStatuses.Should().ContainSingle().Which.State.Waiting.Reason.Should().Be("ContainerCreating");

        var before = await h.Client.AppsV1.ReadNamespacedDeploymentAsync("jupyter", "team");
        before.Status.AvailableReplicas.Should().BeNull();

        h.Kube.Pods.Running("team", pod.Metadata.Name);
        var ready = await h.Kube.Objects.WaitForAsync<V1Deployment>("team", d => d.Status?.AvailableReplicas == 1);
        ready.Status.ObservedGeneration.Should().Be(1);
        ready.Status.UpdatedReplicas.Should().Be(1);
        ready.Status.Conditions.Should().Contain(c => c.Type == "Available" && c.Status == "True");
        ready.Status.Conditions.Should().Contain(c => c.Type == "Progressing" && c.Reason == "NewReplicaSetAvailable");
    }

    [Fact]
    public async Task Auto_ready_pods_run_without_test_intervention()
    {
        await using var h = await FakeKubeHarness.StartAsync();
        h.Kube.Pods.AutoReady = true;
        await h.Client.AppsV1.CreateNamespacedDeploymentAsync(Deployment("web"), "team");
        var d = await h.Kube.Objects.WaitForAsync<V1Deployment>("team", d => d.Status?.ReadyReplicas == 1);
        d.Status.AvailableReplicas.Should().Be(1);
    }

    [Fact]
    public async Task Deleting_a_deployment_cascades_through_replica_set_to_pods()
    {
        await using var h = await FakeKubeHarness.StartAsync();
        await h.Client.AppsV1.CreateNamespacedDeploymentAsync(Deployment("web"), "team");
        await h.Kube.Objects.WaitForAsync<V1Pod>("team", _ => true);

        await h.Client.AppsV1.DeleteNamespacedDeploymentAsync("web", "team");
        await h.Kube.Objects.WaitUntilAsync(() => h.Kube.Objects.List<V1Pod>("team").Count == 0 && h.Kube.Objects.List<V1ReplicaSet>("team").Count == 0);
    }

    [Fact]
    public async Task Driver_pod_deletion_removes_owned_executors_config_map_and_service()
    {
        await using var h = await FakeKubeHarness.StartAsync();
        var driver = await h.Client.CoreV1.CreateNamespacedPodAsync(new V1Pod
        {
            Metadata = new V1ObjectMeta { Name = "app-driver", Labels = new Dictionary<string, string> { ["spark-role"] = "driver" } },
            Spec = new V1PodSpec { RestartPolicy = "Never", Containers = [new V1Container { Name = "spark-kubernetes-driver", Image = "spark:4" }] },
        }, "team");
        var owner = new V1OwnerReference { ApiVersion = "v1", Kind = "Pod", Name = driver.Metadata.Name, Uid = driver.Metadata.Uid, Controller = true };
        await h.Client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "spark-drv-1-conf-map", OwnerReferences = [owner] } }, "team");
        await h.Client.CoreV1.CreateNamespacedServiceAsync(new V1Service
        {
            Metadata = new V1ObjectMeta { Name = "app-driver-svc", OwnerReferences = [owner] },
            Spec = new V1ServiceSpec { ClusterIP = "None", Ports = [new V1ServicePort { Name = "driver-rpc-port", Port = 7078 }] },
        }, "team");
        for (var i = 1; i <= 2; i++)
        {
            h.Kube.Objects.Create(new V1Pod
            {
                Metadata = new V1ObjectMeta { Name = $"app-exec-{i}", Labels = new Dictionary<string, string> { ["spark-role"] = "executor" }, OwnerReferences = [owner] },
                Spec = new V1PodSpec { Containers = [new V1Container { Name = "spark-kubernetes-executor", Image = "spark:4" }] },
            }, "team");
        }

        var svc = await h.Client.CoreV1.ReadNamespacedServiceAsync("app-driver-svc", "team");
        svc.Spec.ClusterIP.Should().Be("None");

        await h.Client.CoreV1.DeleteNamespacedPodAsync("app-driver", "team");
        await h.Kube.Objects.WaitUntilAsync(() =>
            h.Kube.Objects.List<V1Pod>("team").Count == 0
            && !h.Kube.Objects.Exists<V1ConfigMap>("team", "spark-drv-1-conf-map")
            && !h.Kube.Objects.Exists<V1Service>("team", "app-driver-svc"));
    }

    [Fact]
    public async Task Foreground_deletion_keeps_the_owner_until_dependents_are_gone_and_orphan_keeps_dependents()
    {
        await using var h = await FakeKubeHarness.StartAsync();
        var owner = await h.Client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "owner" } }, "team");
        var reference = new V1OwnerReference { ApiVersion = "v1", Kind = "ConfigMap", Name = "owner", Uid = owner.Metadata.Uid, BlockOwnerDeletion = true };
        await h.Client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "child", OwnerReferences = [reference] } }, "team");

        h.Kube.Controllers.GarbageCollection = false;
        await h.Client.CoreV1.DeleteNamespacedConfigMapAsync("owner", "team", propagationPolicy: "Foreground");
        var pending = await h.Client.CoreV1.ReadNamespacedConfigMapAsync("owner", "team");
        pending.Metadata.DeletionTimestamp.Should().NotBeNull();
        pending.Metadata.Finalizers.Should().Contain("foregroundDeletion");

        h.Kube.Controllers.GarbageCollection = true;
        await h.Client.CoreV1.PatchNamespacedConfigMapAsync(new V1Patch("{\"metadata\":{\"labels\":{\"poke\":\"1\"}}}", V1Patch.PatchType.MergePatch), "owner", "team");
        await h.Kube.Objects.WaitUntilAsync(() => !h.Kube.Objects.Exists<V1ConfigMap>("team", "owner") && !h.Kube.Objects.Exists<V1ConfigMap>("team", "child"));

        var second = await h.Client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "owner2" } }, "team");
        reference.Uid = second.Metadata.Uid;
        reference.Name = "owner2";
        await h.Client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "kept", OwnerReferences = [reference] } }, "team");
        await h.Client.CoreV1.DeleteNamespacedConfigMapAsync("owner2", "team", propagationPolicy: "Orphan");
        var kept = await h.Client.CoreV1.ReadNamespacedConfigMapAsync("kept", "team");
        kept.Metadata.OwnerReferences.Should().BeNullOrEmpty();
    }

    [Fact]
    public async Task Objects_whose_owners_do_not_exist_are_collected_unless_the_collector_is_off()
    {
        await using var h = await FakeKubeHarness.StartAsync();
        var ghost = new V1OwnerReference { ApiVersion = "v1", Kind = "Pod", Name = "gone-driver", Uid = "0d4e2c1a-dead-4bad-8bad-000000000001", Controller = true };
        await h.Client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "dangling", OwnerReferences = [ghost] } }, "team");
        await h.Kube.Objects.WaitUntilAsync(() => !h.Kube.Objects.Exists<V1ConfigMap>("team", "dangling"));

        h.Kube.Controllers.GarbageCollection = false;
        await h.Client.CoreV1.CreateNamespacedConfigMapAsync(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "orphan", OwnerReferences = [ghost] } }, "team");
        h.Kube.Objects.Exists<V1ConfigMap>("team", "orphan").Should().BeTrue();
    }

    [Fact]
    public async Task Pvc_of_the_default_wait_for_first_consumer_class_binds_once_its_pod_is_scheduled()
    {
        await using var h = await FakeKubeHarness.StartAsync();
        V1PersistentVolumeClaim Claim(string name) => new()
        {
            Metadata = new V1ObjectMeta { Name = name },
            Spec = new V1PersistentVolumeClaimSpec
            {
                AccessModes = ["ReadWriteOnce"],
                Resources = new V1VolumeResourceRequirements { Requests = new Dictionary<string, ResourceQuantity> { ["storage"] = new("10Gi") } },
            },
        };

        // kind's default class is WaitForFirstConsumer: the claim waits for a scheduled pod that mounts it.
        await h.Client.CoreV1.CreateNamespacedPersistentVolumeClaimAsync(Claim("later"), "team");
        (await h.Client.CoreV1.ReadNamespacedPersistentVolumeClaimAsync("later", "team")).Spec.StorageClassName.Should().Be("standard");
        await h.Kube.Objects.WaitForAsync<Corev1Event>("team", e => e.Reason == "WaitForFirstConsumer");
        (await h.Client.CoreV1.ReadNamespacedPersistentVolumeClaimAsync("later", "team")).Status.Phase.Should().Be("Pending");

        await h.Client.CoreV1.CreateNamespacedPodAsync(new V1Pod
        {
            Metadata = new V1ObjectMeta { Name = "user" },
            Spec = new V1PodSpec
            {
                Containers = [new V1Container { Name = "c", Image = "i:1" }],
                Volumes = [new V1Volume { Name = "v", PersistentVolumeClaim = new V1PersistentVolumeClaimVolumeSource { ClaimName = "later" } }],
            },
        }, "team");
        var bound = await h.Kube.Objects.WaitForAsync<V1PersistentVolumeClaim>("team", c => c.Metadata.Name == "later" && c.Status?.Phase == "Bound");
        bound.Status.Capacity["storage"].ToString().Should().Be("10Gi");
    }
}
