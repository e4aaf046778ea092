using System.Text.Json;
using k8s.Models;
using Kindling.Configuration;
using Kindling.Images;
using Kindling.Testing.FakeKube;
using Kindling.Tests.Cli;
using Kindling.Tests.Images;

namespace Kindling.Tests.Provision;

/// <summary>
/// <c>up --provision</c> on laptop clusters: the fake API server under a kubeconfig context named as each tool
/// names it, the recording docker and loaders first on PATH. Nothing is provisioned, images are built for this
/// machine's platform and loaded with the cluster's own tool, and a second run does nothing.
/// </summary>
public sealed class LaptopProvisionTests : IAsyncLifetime
{
    private FakeKubeServer kube = null!;
    private readonly TempDir dir = new();
    private readonly FakeTools tools = new(withAws: false);

    public async Task InitializeAsync()
    {
        kube = await FakeKubeServer.StartAsync();
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

    private string Tag()
    {
        var spec = LocalClusterDefaults.Apply(new EnvironmentSpec(), ClusterKinds.Kind, new HashSet<string>(), LocalClusterDefaults.HostPlatform()).Spec;
        return ImageTag.Compute(spec, ImageBuildContext.Render(spec));
    }

    public static TheoryData<string, string, string[]?> Loaders => new()
    {
        { "kind-dev", "kind", ["load", "docker-image", "kindling/spark:{tag}", "kindling/jupyter:{tag}", "--name", "dev"] },
        { "minikube", "minikube", ["image", "load", "kindling/spark:{tag}", "-p", "minikube"] },
        { "k3d-demo", "k3d", ["image", "import", "kindling/spark:{tag}", "kindling/jupyter:{tag}", "--cluster", "demo"] },
        { "docker-desktop", "docker-desktop", null },
    };

    [Theory]
    [MemberData(nameof(Loaders))]
    public async Task A_laptop_cluster_gets_images_loaded_by_its_own_tool_and_nothing_provisioned(string context, string kind, string[]? firstLoad)
    {
        kube.WriteKubeconfig(Kubeconfig, context);

        var first = await Run("up", "--provision");

        first.ExitCode.Should().Be(0, first.ToString());
        var tag = Tag();
        first.Stdout.Should().Contain($"Cluster: {kind} (");
        first.Stdout.Should().MatchRegex(@"infra\s+skipped: the cluster is " + kind);
        first.Stdout.Should().MatchRegex(@"kubeconfig\s+skipped");
        first.Stdout.Should().MatchRegex(@"images\s+done");
        first.Stdout.Should().MatchRegex(@"environment\s+done");
        first.Stdout.Should().Contain("Laptop sizes for what kindling.yaml leaves unset:").And.Contain("notebook.memory=2Gi");
        first.Stdout.Should().Contain("Notebook: http://127.0.0.1:8888/?token=");
        File.Exists(Path.Combine(dir.Path, ".kindling", "terraform", "main.tf")).Should().BeFalse("nothing is provisioned for a laptop cluster");

        // Built for this machine's platform, with the local names a laptop cluster uses without a registry.
        var builds = tools.Calls().Where(c => c.Command == "buildx build").ToList();
        builds.Select(b => b.ValueOf("--tag")).Should().Equal($"kindling/spark:{tag}", $"kindling/jupyter:{tag}");
        builds.Should().OnlyContain(b => b.ValueOf("--platform") == LocalClusterDefaults.HostPlatform());
        tools.Calls().Should().NotContain(c => c.Command == "push");
        if (firstLoad is null)
        {
            first.Stderr.Should().Contain("nothing to load");
            foreach (var loader in new[] { "kind", "minikube", "k3d" }) FakeLoaders.Calls(tools, loader).Should().BeEmpty();
        }
        else
        {
            FakeLoaders.Calls(tools, kind).First().Should().Equal(firstLoad.Select(a => a.Replace("{tag}", tag, StringComparison.Ordinal)));
        }

        // The notebook runs the local image with the laptop sizes; nothing AWS-only is applied.
        var deployment = kube.Objects.Get<V1Deployment>("kindling", "kindling-jupyter")!;
        var container = deployment.Spec.Template.Spec.Containers[0];
        container.Image.Should().Be($"kindling/jupyter:{tag}");
        container.ImagePullPolicy.Should().Be("IfNotPresent");
        container.Resources.Limits["memory"].ToString().Should().Be("2Gi");

        var calls = tools.Calls().Count;
        var loads = FakeLoaders.Calls(tools, kind).Count;
        var second = await Run("up", "--provision", "-o", "json");

        second.ExitCode.Should().Be(0, second.ToString());
        var stages = JsonDocument.Parse(second.Stdout).RootElement.GetProperty("stages").EnumerateArray().ToList();
        stages.Select(s => s.GetProperty("stage").GetString()).Should().Equal("infra", "kubeconfig", "images", "environment", "notebook");
        stages.Take(4).Should().OnlyContain(s => s.GetProperty("status").GetString() == "skipped");
        stages[4].GetProperty("status").GetString().Should().Be("done");
        tools.Calls().Count.Should().Be(calls, "an unchanged laptop environment runs no docker command");
        FakeLoaders.Calls(tools, kind).Count.Should().Be(loads);
    }

    [Fact]
    public async Task A_missing_loader_is_named_with_how_to_install_it_before_anything_runs()
    {
        kube.WriteKubeconfig(Kubeconfig, "kind-dev");
        File.Delete(Path.Combine(tools.BinDirectory, "kind"));

        var result = await Run("up", "--provision");

        result.ExitCode.Should().Be(1, result.ToString());
        result.Stderr.Should().Contain("'kind' is not on PATH").And.Contain("kind.sigs.k8s.io");
        tools.Calls().Should().BeEmpty();
        kube.Objects.Get<V1Namespace>("", "kindling").Should().BeNull();
    }

    [Fact]
    public async Task An_ecr_registry_on_a_detected_laptop_cluster_is_bad_input_and_changes_nothing()
    {
        kube.WriteKubeconfig(Kubeconfig, "kind-dev");
        File.WriteAllText(dir.File("kindling.yaml"), "images:\n  registry: 123456789012.dkr.ecr.eu-west-1.amazonaws.com\n");

        var result = await Run("up", "--provision", "-o", "json");

        result.ExitCode.Should().Be(2, result.ToString());
        result.Stderr.Should().Contain("images.registry").And.Contain("ECR");
        JsonDocument.Parse(result.Stdout).RootElement.GetProperty("error").GetProperty("code").GetString().Should().Be("invalid_input");
        tools.Calls().Should().BeEmpty();
        kube.Objects.Get<V1Namespace>("", "kindling").Should().BeNull();
        Directory.Exists(Path.Combine(dir.Path, ".kindling", "images")).Should().BeFalse();
    }

    [Fact]
    public async Task An_unknown_cluster_kind_is_a_located_error_and_changes_nothing()
    {
        kube.WriteKubeconfig(Kubeconfig, "kind-dev");
        File.WriteAllText(dir.File("kindling.yaml"), "cluster:\n  kind: kindd\n");

        var result = await Run("up", "--provision");

        result.ExitCode.Should().Be(2, result.ToString());
        result.Stderr.Should().Contain("kindling.yaml:2:9 cluster.kind:").And.Contain("did you mean 'kind'?");
        tools.Calls().Should().BeEmpty();
        kube.Objects.Get<V1Namespace>("", "kindling").Should().BeNull();
    }

    [Fact]
    public async Task Provision_with_images_build_false_and_no_images_is_a_located_error()
    {
        kube.WriteKubeconfig(Kubeconfig, "kind-dev");
        File.WriteAllText(dir.File("kindling.yaml"), "images:\n  build: false\n");

        var result = await Run("up", "--provision");

        result.ExitCode.Should().Be(2, result.ToString());
        result.Stderr.Should().Contain("kindling.yaml:2:10 images.build:").And.Contain("spark.image");
        tools.Calls().Should().BeEmpty();
        kube.Objects.Get<V1Namespace>("", "kindling").Should().BeNull();
    }

    [Fact]
    public async Task Provision_flags_without_provision_are_refused()
    {
        kube.WriteKubeconfig(Kubeconfig, "kind-dev");
        var result = await Run("up", "--open");
        result.ExitCode.Should().Be(2, result.ToString());
        result.Stderr.Should().Contain("--open is only used with --provision");
    }

    [Theory]
    [InlineData("kind-dev", false)]
    [InlineData("fake", true)]
    public async Task A_submission_to_a_laptop_cluster_gets_no_irsa_credentials(string context, bool webIdentity)
    {
        kube.WriteKubeconfig(Kubeconfig, context);
        SaveEksOutputs();

        var result = await CliHarness.RunAsync(new CliRun(dir.Path) { Environment = new Dictionary<string, string?> { ["PATH"] = tools.Path } },
            "submit", "--kubeconfig", Kubeconfig, "--dry-run", "local:///opt/spark/examples/src/main/python/pi.py");

        result.ExitCode.Should().Be(0, result.ToString());
        result.Stdout.Contains("WebIdentity", StringComparison.Ordinal).Should().Be(webIdentity, result.Stdout);
    }

    private void SaveEksOutputs() =>
        LocalStateStore.For(null, dir.Path).Save(new LocalState
        {
            Terraform = new TerraformOutputs
            {
                SparkRepositoryUrl = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/spark",
                JupyterRepositoryUrl = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/jupyter",
                ClusterName = "kindling",
                ClusterEndpoint = "https://ABC.gr7.eu-west-1.eks.amazonaws.com",
                ClusterCertificateAuthority = "Y2E=",
                SparkRoleArn = "arn:aws:iam::123456789012:role/kindling-spark",
            },
        });

    [Fact]
    public async Task A_laptop_render_has_no_aws_objects_even_with_eks_outputs_saved()
    {
        LocalStateStore.For(dir.File("kindling.yaml"), dir.Path).Save(new LocalState
        {
            Terraform = new TerraformOutputs
            {
                SparkRepositoryUrl = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/spark",
                JupyterRepositoryUrl = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/jupyter",
                ClusterName = "kindling",
                ClusterEndpoint = "https://ABC.gr7.eu-west-1.eks.amazonaws.com",
                ClusterCertificateAuthority = "Y2E=",
                SparkRoleArn = "arn:aws:iam::123456789012:role/kindling-spark",
                ClusterAutoscalerRoleArn = "arn:aws:iam::123456789012:role/kindling-autoscaler",
            },
        });
        File.WriteAllText(dir.File("kindling.yaml"), "cluster:\n  kind: kind\n");

        var result = await CliHarness.RunAsync(dir.Path, "render", "--output-dir", "out");

        result.ExitCode.Should().Be(0, result.ToString());
        var k8s = string.Join("\n", Directory.GetFiles(dir.File("out/k8s"), "*", SearchOption.AllDirectories).Select(File.ReadAllText));
        k8s.Should().NotContain("eks.amazonaws.com/role-arn").And.NotContain("cluster-autoscaler").And.NotContain("ebs.csi.aws.com")
            .And.NotContain("dkr.ecr").And.NotContain("AWS_ROLE_ARN");
        k8s.Should().Contain("kindling/jupyter:");
    }
}
