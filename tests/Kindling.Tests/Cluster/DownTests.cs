using System.Text.Json;
using k8s.Models;

namespace Kindling.Tests.Cluster;

public sealed class DownTests
{
    [Fact]
    public async Task Down_deletes_the_environment_but_keeps_notebooks_and_token_and_purge_removes_the_rest()
    {
        await using var bed = await ClusterTestBed.StartAsync();
        (await bed.RunAsync("up")).ExitCode.Should().Be(0);
        await bed.NotebookPodAsync();

        var down = await bed.RunAsync("down", "--yes");

        down.ExitCode.Should().Be(0, down.ToString());
        down.Stdout.Should().MatchRegex(@"Deployment/kindling-jupyter\s+deleted");
        down.Stdout.Should().MatchRegex(@"PersistentVolumeClaim/kindling-notebooks\s+kept");
        down.Stdout.Should().MatchRegex(@"Secret/kindling-jupyter-token\s+kept");
        bed.Kube.Objects.Exists<V1Deployment>(ClusterTestBed.Ns, ClusterTestBed.Deployment).Should().BeFalse();
        bed.Kube.Objects.List<V1Pod>(ClusterTestBed.Ns).Should().BeEmpty("down waits for the notebook pod to go");
        bed.Kube.Objects.List<V1Service>(ClusterTestBed.Ns).Should().BeEmpty();
        bed.Kube.Objects.Exists<V1Role>(ClusterTestBed.Ns, "kindling-spark").Should().BeFalse();
        bed.Kube.Objects.Exists<V1PersistentVolumeClaim>(ClusterTestBed.Ns, ClusterTestBed.Claim).Should().BeTrue();
        bed.Kube.Objects.Exists<V1Secret>(ClusterTestBed.Ns, ClusterTestBed.TokenSecret).Should().BeTrue();
        bed.Kube.Objects.Exists<V1Namespace>(null, ClusterTestBed.Ns).Should().BeTrue();
        bed.AssertNoSecret(down);

        var purge = await bed.RunAsync("down", "--purge", "--yes", "-o", "json");

        purge.ExitCode.Should().Be(0, purge.ToString());
        using var doc = JsonDocument.Parse(purge.Stdout);
        doc.RootElement.GetProperty("objects").EnumerateArray()
            .Select(o => (o.GetProperty("object").GetProperty("kind").GetString(), o.GetProperty("action").GetString()))
            .Should().BeEquivalentTo([("Secret", "deleted"), ("PersistentVolumeClaim", "deleted"), ("Namespace", "deleted")]);
        bed.Kube.Objects.Exists<V1Namespace>(null, ClusterTestBed.Ns).Should().BeFalse();
        bed.Kube.Objects.Exists<V1PersistentVolumeClaim>(ClusterTestBed.Ns, ClusterTestBed.Claim).Should().BeFalse();
        bed.AssertNoSecret(purge);

        (await bed.RunAsync("up")).ExitCode.Should().Be(0, "up after a purge starts from empty again");
    }

    [Fact]
    public async Task Down_without_yes_when_not_interactive_is_bad_input_and_deletes_nothing()
    {
        await using var bed = await ClusterTestBed.StartAsync();
        (await bed.RunAsync("up")).ExitCode.Should().Be(0);

        var result = await bed.RunAsync("down");

        result.ExitCode.Should().Be(2, result.ToString());
        result.Stderr.Should().Contain("--yes");
        bed.Kube.Objects.Exists<V1Deployment>(ClusterTestBed.Ns, ClusterTestBed.Deployment).Should().BeTrue();
        bed.Kube.Requests.All.Should().NotContain(r => r.Verb == "delete");
    }

    [Fact]
    public async Task Purge_never_deletes_a_namespace_kindling_did_not_create()
    {
        await using var bed = await ClusterTestBed.StartAsync();
        bed.Kube.Objects.Create(new V1Namespace { Metadata = new V1ObjectMeta { Name = ClusterTestBed.Ns } });
        // up labels the namespace through server-side apply; a namespace someone else owns keeps no Kindling label
        // once they take the label back, which is what this stands for.
        (await bed.RunAsync("up")).ExitCode.Should().Be(0);
        bed.Kube.Objects.Update<V1Namespace>(null, ClusterTestBed.Ns, n => n.Metadata.Labels.Remove("kindling.dev/inventory"));

        var result = await bed.RunAsync("down", "--purge", "--yes");

        result.ExitCode.Should().Be(0, result.ToString());
        result.Stdout.Should().MatchRegex(@"Namespace/kindling\s+kept \(not created by Kindling\)");
        bed.Kube.Objects.Exists<V1Namespace>(null, ClusterTestBed.Ns).Should().BeTrue();
    }
}
