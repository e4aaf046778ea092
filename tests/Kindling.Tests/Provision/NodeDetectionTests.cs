using System.Text.Json;
using k8s.Models;
using Kindling.Configuration;
using Kindling.Images;
using Kindling.Testing.FakeKube;
using Kindling.Tests.Cli;
using Kindling.Tests.Images;

namespace Kindling.Tests.Provision;

/// <summary>
/// Detection by the nodes, wired into the commands: a context with a name no tool writes is told by its nodes'
/// provider ID or labels (read once), a laptop cluster's images are built for the architecture its nodes report,
/// and an identity that may not list nodes falls back to the context and server and says so.
/// </summary>
public sealed class NodeDetectionTests : IAsyncLifetime
{
    private FakeKubeServer kube = null!;
    private readonly TempDir dir = new();
    private readonly FakeTools tools = new(withAws: false);

    public async Task InitializeAsync()
    {
        kube = await FakeKubeServer.StartAsync(new FakeKubeOptions { NodeName = "dev-control-plane", NodeArchitecture = "arm64" });
        kube.Pods.AutoReady = true;
        FakeLoaders.Install(tools);
    }

    public async Task DisposeAsync()
    {
        await kube.DisposeAsync();
        tools.Dispose();
        dir.Dispose();
    }

    private string Kubeconfig => dir.File("kubeconfig");

    private Task<CliResult> Run(params string[] args) =>
        CliHarness.RunAsync(new CliRun(dir.Path) { Environment = new Dictionary<string, string?> { ["PATH"] = tools.Path, ["KUBECONFIG"] = null } },
            [.. args, "--kubeconfig", Kubeconfig]);

    // What kind's kubelet writes (provider-id kind://<provider>/<cluster>/<node>) and reports (nodeInfo.architecture).
    private void KindNode() => kube.Objects.Update<V1Node>(null, "dev-control-plane", n =>
    {
        n.Spec = new V1NodeSpec { ProviderID = "kind://docker/dev/dev-control-plane" };
        n.Status.NodeInfo = new V1NodeSystemInfo
        {
            Architecture = "arm64", OperatingSystem = "linux", KubeletVersion = "v1.32.0", ContainerRuntimeVersion = "containerd://2.0.2",
            KernelVersion = "6.10.14-linuxkit", OsImage = "Debian GNU/Linux 12 (bookworm)", KubeProxyVersion = "", BootID = "b", MachineID = "m", SystemUUID = "s",
        };
    });

    private static string Tag(string platform)
    {
        var spec = LocalClusterDefaults.Apply(new EnvironmentSpec(), ClusterKinds.Kind, new HashSet<string>(), platform).Spec;
        return ImageTag.Compute(spec, ImageBuildContext.Render(spec));
    }

    [Fact]
    public async Task A_renamed_kind_context_is_told_by_its_node_and_images_are_built_for_the_nodes_architecture()
    {
        KindNode();
        kube.WriteKubeconfig(Kubeconfig, "work");

        var result = await Run("up", "--provision");

        result.ExitCode.Should().Be(0, result.ToString());
        result.Stdout.Should().Contain("Cluster: kind (node dev-control-plane has kind's provider ID kind://docker/dev/dev-control-plane)");
        result.Stdout.Should().Contain("images.platform=linux/arm64");
        var tag = Tag(ImagePlatform.Arm64);
        tools.Calls().Where(c => c.Command == "buildx build").Should().OnlyContain(b => b.ValueOf("--platform") == ImagePlatform.Arm64,
            "the nodes report arm64, whatever this machine is");
        FakeLoaders.Calls(tools, "kind").Should().ContainSingle().Which.Should().Equal(
            "load", "docker-image", $"kindling/spark:{tag}", $"kindling/jupyter:{tag}", "--name", "dev");
        kube.Requests.All.Count(r => r.Resource == "nodes" && r.Verb == "list").Should().Be(1, "the nodes are read once per command");
    }

    [Fact]
    public async Task Plain_up_and_doctor_say_which_cluster_they_found_and_use_its_laptop_sizes()
    {
        KindNode();
        kube.WriteKubeconfig(Kubeconfig, "work");

        // Before up: the notebooks' claim does not exist yet, so doctor judges the default class.
        var doctor = await Run("doctor", "--no-dns-probe", "-o", "json");

        doctor.Stderr.Should().Contain("kind: node dev-control-plane has kind's provider ID");
        var storage = JsonDocument.Parse(doctor.Stdout).RootElement.GetProperty("checks").EnumerateArray().Single(c => c.GetProperty("check").GetString() == "storage-class");
        storage.GetProperty("found").GetString().Should().Contain("default StorageClass standard (kind's own)");

        var up = await Run("up");

        up.ExitCode.Should().Be(0, up.ToString());
        up.Stderr.Should().Contain("kind: node dev-control-plane has kind's provider ID").And.Contain("laptop sizes for what kindling.yaml leaves unset").And.Contain("notebook.memory=2Gi");
        kube.Objects.Get<V1Deployment>("kindling", "kindling-jupyter")!.Spec.Template.Spec.Containers[0].Resources.Limits["memory"].ToString().Should().Be("2Gi");
    }

    [Fact]
    public async Task Nodes_that_may_not_be_listed_leave_the_context_and_server_and_it_is_said()
    {
        KindNode();
        kube.Permissions.Deny("list", "nodes");
        kube.WriteKubeconfig(Kubeconfig, "kind-dev");

        var laptop = await Run("up", "--provision");

        laptop.ExitCode.Should().Be(0, laptop.ToString());
        laptop.Stdout.Should().Contain("Cluster: kind (context 'kind-dev' is kind's; its nodes could not be read (listing nodes is forbidden for this identity), so only the context and server were used)");
        tools.Calls().Where(c => c.Command == "buildx build").Should().OnlyContain(b => b.ValueOf("--platform") == LocalClusterDefaults.HostPlatform(),
            "without the nodes, a laptop cluster's nodes are this machine");

        kube.WriteKubeconfig(Kubeconfig, "work");
        var calls = tools.Calls().Count;
        var unknown = await Run("up", "--provision");

        unknown.ExitCode.Should().Be(2, unknown.ToString());
        unknown.Stderr.Should().Contain("listing nodes is forbidden").And.Contain("set images.registry, or set cluster.kind");
        tools.Calls().Count.Should().Be(calls, "nothing was built");
    }
}
