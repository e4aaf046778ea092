using System.Text.Json;
using k8s.Models;
using Kindling.Resources;
using Kindling.Testing.FakeKube;

namespace Kindling.Tests.Cluster;

public sealed class UpTests
{
    private static readonly string[] RenderedObjects =
    [
        "Namespace/kindling", "ServiceAccount/kindling-spark", "Role/kindling-spark", "RoleBinding/kindling-spark",
        "Secret/kindling-jupyter-token", "PersistentVolumeClaim/kindling-notebooks", "ConfigMap/kindling-executor-pod-template", "Service/kindling-jupyter",
        "Service/kindling-driver", "NetworkPolicy/kindling-notebook", "Deployment/kindling-jupyter",
    ];

    [Fact]
    public async Task Up_from_empty_creates_everything_and_a_second_up_changes_nothing()
    {
        await using var bed = await ClusterTestBed.StartAsync();

        var first = await bed.RunAsync("up");

        first.ExitCode.Should().Be(0, first.ToString());
        foreach (var obj in RenderedObjects) first.Stdout.Should().MatchRegex($@"{obj}\s+created", first.ToString());
        bed.Kube.Objects.Get<V1Deployment>(ClusterTestBed.Ns, ClusterTestBed.Deployment)!.Metadata.ManagedFields
            .Should().Contain(f => f.Manager == KindlingLabels.FieldManager && f.Operation == "Apply");
        bed.AssertNoSecret(first);

        var second = await bed.RunAsync("up", "-o", "json");

        second.ExitCode.Should().Be(0, second.ToString());
        using var json = JsonDocument.Parse(second.Stdout);
        var objects = json.RootElement.GetProperty("objects").EnumerateArray().ToList();
        objects.Should().HaveCount(RenderedObjects.Length);
        objects.Select(o => o.GetProperty("action").GetString()).Should().OnlyContain(a => a == "unchanged", second.Stdout);
        json.RootElement.GetProperty("unchanged").GetBoolean().Should().BeTrue();
        bed.AssertNoSecret(second);
    }

    [Fact]
    public async Task Up_applies_in_dependency_order()
    {
        await using var bed = await ClusterTestBed.StartAsync();

        var result = await bed.RunAsync("up");

        result.ExitCode.Should().Be(0, result.ToString());
        var applies = bed.Kube.Requests.All.Where(r => r.Verb is "patch" or "create" && !r.IsReview).Select(r => r.Resource).ToList();
        applies.First().Should().Be("namespaces");
        applies.Last().Should().Be("deployments");
        applies.IndexOf("networkpolicies").Should().BeGreaterThan(applies.IndexOf("persistentvolumeclaims"));
    }

    [Fact]
    public async Task Up_prunes_labelled_objects_that_are_no_longer_rendered_and_nothing_else()
    {
        await using var bed = await ClusterTestBed.StartAsync();
        (await bed.RunAsync("up")).ExitCode.Should().Be(0);
        // What an earlier config rendered: objects with this environment's inventory label that are not rendered now.
        bed.Kube.Objects.Create(Service("kindling-old-ui", KindlingLabels.Inventory, "kindling"), ClusterTestBed.Ns);
        bed.Kube.Objects.Create(new V1PersistentVolumeClaim
        {
            Metadata = new V1ObjectMeta { Name = "kindling-old-data", Labels = new Dictionary<string, string> { [KindlingLabels.Inventory] = "kindling" } },
            Spec = new V1PersistentVolumeClaimSpec { AccessModes = ["ReadWriteOnce"], Resources = new V1VolumeResourceRequirements { Requests = new Dictionary<string, ResourceQuantity> { ["storage"] = new("1Gi") } } },
        }, ClusterTestBed.Ns);
        // Objects Kindling must never touch: another environment's, and unlabelled ones.
        bed.Kube.Objects.Create(Service("other-env-ui", KindlingLabels.Inventory, "other"), ClusterTestBed.Ns);
        bed.Kube.Objects.Create(Service("hand-made", "team", "data"), ClusterTestBed.Ns);

        var result = await bed.RunAsync("up");

        result.ExitCode.Should().Be(0, result.ToString());
        result.Stdout.Should().MatchRegex(@"Service/kindling-old-ui\s+pruned");
        result.Stdout.Should().MatchRegex(@"PersistentVolumeClaim/kindling-old-data\s+kept");
        bed.Kube.Objects.Exists<V1Service>(ClusterTestBed.Ns, "kindling-old-ui").Should().BeFalse();
        bed.Kube.Objects.Exists<V1PersistentVolumeClaim>(ClusterTestBed.Ns, "kindling-old-data").Should().BeTrue("notebooks are never pruned");
        bed.Kube.Objects.Exists<V1Service>(ClusterTestBed.Ns, "other-env-ui").Should().BeTrue();
        bed.Kube.Objects.Exists<V1Service>(ClusterTestBed.Ns, "hand-made").Should().BeTrue();
        foreach (var obj in RenderedObjects.Where(o => !o.StartsWith("Namespace", StringComparison.Ordinal)))
            result.Stdout.Should().MatchRegex($@"{obj}\s+unchanged");
    }

    [Fact]
    public async Task Up_after_a_config_change_reconfigures_only_what_changed_and_rolls_out()
    {
        await using var bed = await ClusterTestBed.StartAsync();
        (await bed.RunAsync("up")).ExitCode.Should().Be(0);
        var before = await bed.NotebookPodAsync();
        bed.Dir.Write("kindling.yaml", "notebook:\n  cpu: \"2\"\n");

        var result = await bed.RunAsync("up");

        result.ExitCode.Should().Be(0, result.ToString());
        result.Stdout.Should().MatchRegex(@"Deployment/kindling-jupyter\s+configured");
        foreach (var obj in RenderedObjects.Where(o => !o.StartsWith("Deployment", StringComparison.Ordinal)))
            result.Stdout.Should().MatchRegex($@"{obj}\s+unchanged");
        var deployment = bed.Kube.Objects.Get<V1Deployment>(ClusterTestBed.Ns, ClusterTestBed.Deployment)!;
        deployment.Spec.Template.Spec.Containers[0].Resources.Limits["cpu"].ToString().Should().Be("2");
        var after = await bed.NotebookPodAsync(p => p.Metadata.Name != before);
        after.Should().NotBe(before, "the new template rolled out a new pod");
    }

    [Fact]
    public async Task Up_restores_a_field_someone_changed_by_hand()
    {
        await using var bed = await ClusterTestBed.StartAsync();
        (await bed.RunAsync("up")).ExitCode.Should().Be(0);
        bed.Kube.Objects.Update<V1Service>(ClusterTestBed.Ns, "kindling-jupyter", s => s.Metadata.Labels["app.kubernetes.io/part-of"] = "hand-edited", manager: "kubectl-edit");

        var result = await bed.RunAsync("up");

        result.ExitCode.Should().Be(0, result.ToString());
        result.Stdout.Should().MatchRegex(@"Service/kindling-jupyter\s+configured");
        // force=true takes the field back from the other manager.
        bed.Kube.Objects.Get<V1Service>(ClusterTestBed.Ns, "kindling-jupyter")!.Metadata.Labels["app.kubernetes.io/part-of"].Should().Be("kindling");
    }

    private static V1Service Service(string name, string labelKey, string labelValue) => new()
    {
        Metadata = new V1ObjectMeta { Name = name, Labels = new Dictionary<string, string> { [labelKey] = labelValue } },
        Spec = new V1ServiceSpec { Ports = [new V1ServicePort { Port = 80 }], Selector = new Dictionary<string, string> { ["app"] = name } },
    };
}
