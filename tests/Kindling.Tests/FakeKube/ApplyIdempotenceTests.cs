using k8s;
using k8s.Models;

namespace Kindling.Tests.FakeKube;

/// <summary>What `kindling up` relies on: re-applying the same typed objects changes nothing (same resourceVersion).</summary>
public sealed class ApplyIdempotenceTests
{
    private static readonly Dictionary<string, string> Labels = new() { ["app.kubernetes.io/name"] = "jupyter" };

    private static IEnumerable<IKubernetesObject<V1ObjectMeta>> Environment() =>
    [
        new V1ServiceAccount { ApiVersion = "v1", Kind = "ServiceAccount", Metadata = new V1ObjectMeta { Name = "kindling", Labels = Labels } },
        new V1Role
        {
            ApiVersion = "rbac.authorization.k8s.io/v1", Kind = "Role", Metadata = new V1ObjectMeta { Name = "spark", Labels = Labels },
            Rules = [new V1PolicyRule { ApiGroups = [""], Resources = ["pods", "pods/log", "services", "configmaps"], Verbs = ["get", "list", "watch", "create", "patch", "delete"] }],
        },
        new V1RoleBinding
        {
            ApiVersion = "rbac.authorization.k8s.io/v1", Kind = "RoleBinding", Metadata = new V1ObjectMeta { Name = "spark", Labels = Labels },
            RoleRef = new V1RoleRef { ApiGroup = "rbac.authorization.k8s.io", Kind = "Role", Name = "spark" },
            Subjects = [new Rbacv1Subject { Kind = "ServiceAccount", Name = "kindling", NamespaceProperty = "team" }],
        },
        new V1PersistentVolumeClaim
        {
            ApiVersion = "v1", Kind = "PersistentVolumeClaim", Metadata = new V1ObjectMeta { Name = "notebooks", Labels = Labels },
            Spec = new V1PersistentVolumeClaimSpec { AccessModes = ["ReadWriteOnce"], Resources = new V1VolumeResourceRequirements { Requests = new Dictionary<string, ResourceQuantity> { ["storage"] = new("10Gi") } } },
        },
        new V1Service
        {
            ApiVersion = "v1", Kind = "Service", Metadata = new V1ObjectMeta { Name = "jupyter", Labels = Labels },
            Spec = new V1ServiceSpec { Selector = Labels, Ports = [new V1ServicePort { Name = "http", Port = 8888, TargetPort = 8888 }] },
        },
        new V1Service
        {
            ApiVersion = "v1", Kind = "Service", Metadata = new V1ObjectMeta { Name = "jupyter-driver", Labels = Labels },
            Spec = new V1ServiceSpec { ClusterIP = "None", Selector = Labels, Ports = [new V1ServicePort { Name = "driver-rpc-port", Port = 7078 }, new V1ServicePort { Name = "blockmanager", Port = 7079 }] },
        },
        new V1NetworkPolicy
        {
            ApiVersion = "networking.k8s.io/v1", Kind = "NetworkPolicy", Metadata = new V1ObjectMeta { Name = "driver", Labels = Labels },
            Spec = new V1NetworkPolicySpec
            {
                PodSelector = new V1LabelSelector { MatchLabels = Labels },
                Ingress = [new V1NetworkPolicyIngressRule { Ports = [new V1NetworkPolicyPort { Port = 7078, Protocol = "TCP" }] }],
                PolicyTypes = ["Ingress"],
            },
        },
        new V1Deployment
        {
            ApiVersion = "apps/v1", Kind = "Deployment", Metadata = new V1ObjectMeta { Name = "jupyter", Labels = Labels },
            Spec = new V1DeploymentSpec
            {
                Replicas = 1,
                Selector = new V1LabelSelector { MatchLabels = Labels },
                Template = new V1PodTemplateSpec
                {
                    Metadata = new V1ObjectMeta { Labels = Labels, Annotations = new Dictionary<string, string> { ["sidecar.istio.io/inject"] = "false" } },
                    Spec = new V1PodSpec
                    {
                        ServiceAccountName = "kindling",
                        EnableServiceLinks = false,
                        Containers =
                        [
                            new V1Container
                            {
                                Name = "jupyter", Image = "registry/jupyter:1.0",
                                Ports = [new V1ContainerPort { Name = "http", ContainerPort = 8888 }, new V1ContainerPort { Name = "driver-rpc-port", ContainerPort = 7078 }],
                                Env = [new V1EnvVar { Name = "POD_IP", ValueFrom = new V1EnvVarSource { FieldRef = new V1ObjectFieldSelector { FieldPath = "status.podIP" } } }],
                                Resources = new V1ResourceRequirements { Requests = new Dictionary<string, ResourceQuantity> { ["memory"] = new("896Mi"), ["cpu"] = new("1") } },
                                ReadinessProbe = new V1Probe { HttpGet = new V1HTTPGetAction { Path = "/api", Port = 8888 } },
                                VolumeMounts = [new V1VolumeMount { Name = "notebooks", MountPath = "/home/jovyan" }],
                            },
                        ],
                        Volumes = [new V1Volume { Name = "notebooks", PersistentVolumeClaim = new V1PersistentVolumeClaimVolumeSource { ClaimName = "notebooks" } }],
                    },
                },
            },
        },
    ];

    [Fact]
    public async Task Applying_the_same_environment_twice_changes_nothing_even_after_controllers_wrote_status()
    {
        await using var h = await FakeKubeHarness.StartAsync();
        h.Kube.Pods.AutoReady = true;
        await ApplyAllAsync(h);
        await h.Kube.Objects.WaitForAsync<V1Deployment>("team", d => d.Status?.AvailableReplicas == 1);
        await h.Kube.Objects.WaitForAsync<V1PersistentVolumeClaim>("team", c => c.Status?.Phase == "Bound");

        var before = h.Kube.ResourceVersion;
        await ApplyAllAsync(h);
        h.Kube.ResourceVersion.Should().Be(before, "a second identical apply must not write anything");
    }

    private static async Task ApplyAllAsync(FakeKubeHarness h)
    {
        foreach (var obj in Environment())
        {
            var type = Kindling.Testing.FakeKube.ResourceCatalog.ForKind(obj.ApiVersion, obj.Kind)!;
            var path = (type.Group.Length == 0 ? "api/v1" : $"apis/{type.ApiVersion}") + $"/namespaces/team/{type.Plural}/{obj.Metadata.Name}?fieldManager=kindling&force=true";
            using var request = new HttpRequestMessage(HttpMethod.Patch, new Uri(h.Kube.Uri, path))
            {
                Content = new StringContent(KubernetesJson.Serialize(obj), System.Text.Encoding.UTF8, "application/apply-patch+yaml"),
            };
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", h.Kube.Token);
            using var response = await h.Client.HttpClient.SendAsync(request);
            response.IsSuccessStatusCode.Should().BeTrue(await response.Content.ReadAsStringAsync());
        }
    }
}
