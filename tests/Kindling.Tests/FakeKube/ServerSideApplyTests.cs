using k8s;
using k8s.Models;

namespace Kindling.Tests.FakeKube;

public sealed class ServerSideApplyTests
{
    private static Task<V1ConfigMap> ApplyAsync(Kubernetes client, V1ConfigMap map, string manager, bool force = false) =>
        client.CoreV1.PatchNamespacedConfigMapAsync(new V1Patch(KubernetesJson.Serialize(map), V1Patch.PatchType.ApplyPatch), map.Metadata.Name, "team", fieldManager: manager, force: force);

    private static V1ConfigMap Map(Dictionary<string, string> data, Dictionary<string, string>? labels = null) => new()
    {
        ApiVersion = "v1",
        Kind = "ConfigMap",
        Metadata = new V1ObjectMeta { Name = "conf", Labels = labels },
        Data = data,
    };

    [Fact]
    public async Task Apply_creates_then_an_identical_apply_keeps_the_resource_version()
    {
        await using var h = await FakeKubeHarness.StartAsync();
        var first = await ApplyAsync(h.Client, Map(new() { ["a"] = "1" }), "kindling");
        var second = await ApplyAsync(h.Client, Map(new() { ["a"] = "1" }), "kindling");

        second.Metadata.ResourceVersion.Should().Be(first.Metadata.ResourceVersion);
        second.Metadata.ManagedFields.Should().ContainSingle(m => m.Manager == "kindling" && m.Operation == "Apply");
        h.Kube.Requests.Count(r => r.Verb == "patch" && r.ContentType!.StartsWith("application/apply-patch+yaml", StringComparison.Ordinal) && r.FieldManager == "kindling").Should().Be(2);
    }

    [Fact]
    public async Task Fields_dropped_from_the_managers_apply_are_removed_but_other_managers_fields_stay()
    {
        await using var h = await FakeKubeHarness.StartAsync();
        await ApplyAsync(h.Client, Map(new() { ["a"] = "1", ["b"] = "2" }, new() { ["app"] = "x", ["tier"] = "t" }), "kindling");
        await ApplyAsync(h.Client, Map(new() { ["other"] = "o" }, new() { ["owner"] = "someone" }), "other-tool");

        var result = await ApplyAsync(h.Client, Map(new() { ["a"] = "1" }, new() { ["app"] = "x" }), "kindling");

        result.Data.Should().BeEquivalentTo(new Dictionary<string, string> { ["a"] = "1", ["other"] = "o" });
        result.Metadata.Labels.Should().BeEquivalentTo(new Dictionary<string, string> { ["app"] = "x", ["owner"] = "someone" });
    }

    [Fact]
    public async Task Changing_another_managers_field_conflicts_unless_forced()
    {
        await using var h = await FakeKubeHarness.StartAsync();
        await ApplyAsync(h.Client, Map(new() { ["a"] = "1" }), "kindling");

        var conflict = await CrudTests.Capture(() => ApplyAsync(h.Client, Map(new() { ["a"] = "2" }), "intruder"));
        conflict.Code.Should().Be(409);
        conflict.Reason.Should().Be("Conflict");
        conflict.Details.Causes.Should().ContainSingle(c => c.Field == ".data.a" && c.Reason == "FieldManagerConflict");

        var sameValue = await ApplyAsync(h.Client, Map(new() { ["a"] = "1" }), "intruder");
        sameValue.Data["a"].Should().Be("1");

        var forced = await ApplyAsync(h.Client, Map(new() { ["a"] = "2" }), "intruder", force: true);
        forced.Data["a"].Should().Be("2");

        // kindling lost ownership of data.a, so dropping it from kindling's apply no longer removes it.
        var after = await ApplyAsync(h.Client, Map(new() { ["z"] = "26" }), "kindling");
        after.Data.Should().ContainKey("a").WhoseValue.Should().Be("2");
    }

    [Fact]
    public async Task Containers_env_and_ports_merge_by_key()
    {
        await using var h = await FakeKubeHarness.StartAsync();
        V1Deployment Deploy(params V1Container[] containers) => new()
        {
            ApiVersion = "apps/v1",
            Kind = "Deployment",
            Metadata = new V1ObjectMeta { Name = "web" },
            Spec = new V1DeploymentSpec
            {
                Selector = new V1LabelSelector { MatchLabels = new Dictionary<string, string> { ["app"] = "web" } },
                Template = new V1PodTemplateSpec
                {
                    Metadata = new V1ObjectMeta { Labels = new Dictionary<string, string> { ["app"] = "web" } },
                    Spec = new V1PodSpec { Containers = containers },
                },
            },
        };

        await h.Client.AppsV1.PatchNamespacedDeploymentAsync(new V1Patch(KubernetesJson.Serialize(Deploy(
            new V1Container { Name = "main", Image = "img:1", Env = [new V1EnvVar { Name = "A", Value = "1" }], Ports = [new V1ContainerPort { ContainerPort = 8888 }] })),
            V1Patch.PatchType.ApplyPatch), "web", "team", fieldManager: "kindling");
        await h.Client.AppsV1.PatchNamespacedDeploymentAsync(new V1Patch(KubernetesJson.Serialize(Deploy(
            new V1Container { Name = "main", Env = [new V1EnvVar { Name = "SIDE", Value = "car" }] },
            new V1Container { Name = "sidecar", Image = "side:1" })),
            V1Patch.PatchType.ApplyPatch), "web", "team", fieldManager: "mesh");

        var d = await h.Client.AppsV1.ReadNamespacedDeploymentAsync("web", "team");
        var containers = d.Spec.Template.Spec.Containers;
        containers.Select(c => c.Name).Should().Equal("main", "sidecar");
        containers[0].Image.Should().Be("img:1");
        containers[0].Env.Select(e => e.Name).Should().BeEquivalentTo("A", "SIDE");
        containers[0].Ports.Should().ContainSingle(p => p.ContainerPort == 8888 && p.Protocol == "TCP");
        d.Metadata.Generation.Should().Be(2);
    }
}
