using System.Text.Json;
using k8s.Models;
using Kindling.Testing;
using Kindling.Testing.FakeKube;
using Kindling.Testing.Processes;
using Kindling.Tests.Cli;
using Kindling.Tests.Images;
using Kindling.Tests.Terraform;

namespace Kindling.Tests.Provision;

/// <summary>
/// The whole <c>up --provision</c> on EKS: the real terraform applies the module against moto, the real AWS CLI
/// asks moto's ECR, the recording docker pushes into it (<c>aws ecr put-image</c>), and the environment goes to the
/// fake API server through an explicit <c>--context</c> (moto's EKS endpoint serves no Kubernetes API). The first run
/// does every stage, the second none, and a run interrupted during <c>up</c> after a new push resumes at <c>up</c>.
/// </summary>
public sealed class EksProvisionTests(MotoFixture moto) : IClassFixture<MotoFixture>, IAsyncLifetime
{
    private FakeKubeServer kube = null!;
    private InfraScenario scenario = null!;
    private FakeTools tools = null!;

    public async Task InitializeAsync()
    {
        kube = await FakeKubeServer.StartAsync();
        kube.Pods.AutoReady = true;
        scenario = new InfraScenario(moto.Server, "cluster:\n  kind: eks\n");
        tools = new FakeTools(new FakeToolsConfig { RequireLogin = true, EcrEndpoint = moto.Server.Endpoint }, withAws: false);
        kube.WriteKubeconfig(Kubeconfig, "fake");
    }

    public async Task DisposeAsync()
    {
        await kube.DisposeAsync();
        tools.Dispose();
        scenario.Dispose();
    }

    private string Kubeconfig => Path.Combine(scenario.Directory, "kubeconfig");

    // The fakes first; then the real aws and terraform wherever they are installed.
    private string SearchPath => string.Join(Path.PathSeparator, new[]
    {
        tools.BinDirectory,
        Path.GetDirectoryName(RequiredTool.Find("aws", "Install the AWS CLI (pip install awscli)."))!,
        Path.GetDirectoryName(TerraformTool.Executable)!,
        "/usr/bin", "/bin",
    }.Distinct());

    private Task<CliResult> Provision(CancellationToken cancellation = default, bool approve = true) =>
        CliHarness.RunAsync(scenario.Run(cancellation) with
        {
            Environment = new Dictionary<string, string?>(scenario.Environment) { ["PATH"] = SearchPath, ["KUBECONFIG"] = null },
        }, ["up", "--provision", .. approve ? new[] { "--auto-approve" } : [], "--kubeconfig", Kubeconfig, "--context", "fake", "-o", "json"]);

    private Task<CliResult> Cli(params string[] args) =>
        CliHarness.RunAsync(scenario.Run() with
        {
            Environment = new Dictionary<string, string?>(scenario.Environment) { ["PATH"] = SearchPath, ["KUBECONFIG"] = null },
        }, args);

    private static List<(string Stage, string Status, string Reason)> Stages(CliResult result) =>
        JsonDocument.Parse(result.Stdout).RootElement.GetProperty("stages").EnumerateArray()
            .Select(s => (s.GetProperty("stage").GetString()!, s.GetProperty("status").GetString()!, s.GetProperty("reason").GetString()!)).ToList();

    private async Task<IReadOnlyList<string>> EcrTagsAsync(string repository) =>
        [.. (await moto.Server.AwsAsync("ecr", "describe-images", "--repository-name", repository)).GetProperty("imageDetails").EnumerateArray()
            .SelectMany(d => d.GetProperty("imageTags").EnumerateArray().Select(t => t.GetString()!)).Order(StringComparer.Ordinal)];

    [Fact]
    public async Task First_run_does_every_stage_the_second_none_and_an_interrupted_run_resumes_at_up()
    {
        var first = await Provision();

        first.ExitCode.Should().Be(0, first.ToString());
        Stages(first).Select(s => s.Status).Should().Equal("done", "done", "done", "done", "done");
        var state = scenario.State.Terraform!;
        var jupyter = kube.Objects.Get<V1Deployment>("kindling", "kindling-jupyter")!.Spec.Template.Spec.Containers[0].Image;
        jupyter.Should().StartWith(state.JupyterRepositoryUrl + ":");
        var tag = jupyter[(state.JupyterRepositoryUrl.Length + 1)..];
        (await EcrTagsAsync("jupyter")).Should().Equal(tag);
        (await EcrTagsAsync("spark")).Should().Equal(tag);
        File.ReadAllText(Kubeconfig).Should().Contain($"kindling-{state.ClusterName}-eu-west-1", "the EKS context is written beside the others");
        tools.Calls().Select(c => c.Command).Should().Contain(["login", "push"]);
        first.Stderr.Should().Contain("terraform apply");

        var docker = tools.Calls().Count;
        // Unattended and without --auto-approve: the infra stage is up to date, so there is nothing to approve.
        var second = await Provision(approve: false);

        second.ExitCode.Should().Be(0, second.ToString());
        var stages = Stages(second);
        stages.Take(4).Should().OnlyContain(s => s.Status == "skipped", second.ToString());
        stages[0].Reason.Should().Contain("unchanged since the last apply");
        stages[1].Reason.Should().Contain("already has the EKS cluster's context");
        stages[2].Reason.Should().Contain($"already has images {tag}");
        stages[3].Reason.Should().Contain("notebook is available");
        second.Stderr.Should().NotContain("terraform plan");
        tools.Calls().Count.Should().Be(docker, "nothing is built or pushed again");

        // A change to the image build (a pip package) is built, pushed, and then up is interrupted before the
        // notebook is ready: Ctrl+C while up waits.
        File.AppendAllText(scenario.ConfigPath, "spark:\n  pythonPackages: [requests==2.32.3]\n");
        kube.Pods.AutoReady = false;
        using var interrupt = new CancellationTokenSource();
        var running = Provision(interrupt.Token);
        await kube.Objects.WaitForAsync<V1Deployment>("kindling",
            d => d.Metadata.Name == "kindling-jupyter" && d.Spec.Template.Spec.Containers[0].Image != jupyter, TimeSpan.FromMinutes(3));
        await interrupt.CancelAsync();
        var interrupted = await running;

        interrupted.ExitCode.Should().Be(130, interrupted.ToString());
        Stages(interrupted).Select(s => s.Status).Should().Equal("skipped", "skipped", "done", "failed", "notRun");
        Stages(interrupted)[3].Reason.Should().Contain("interrupted");
        var newTag = kube.Objects.Get<V1Deployment>("kindling", "kindling-jupyter")!.Spec.Template.Spec.Containers[0].Image[(state.JupyterRepositoryUrl.Length + 1)..];
        (await EcrTagsAsync("jupyter")).Should().Contain(newTag);

        kube.Pods.AutoReady = true;
        foreach (var pod in kube.Objects.List<V1Pod>("kindling").Where(p => p.Metadata.DeletionTimestamp is null))
            kube.Pods.Running("kindling", pod.Metadata.Name, ready: true);
        var pushes = tools.Calls().Count(c => c.Command == "push");
        var resumed = await Provision();

        resumed.ExitCode.Should().Be(0, resumed.ToString());
        Stages(resumed).Select(s => s.Status).Should().Equal("skipped", "skipped", "skipped", "done", "done");
        tools.Calls().Count(c => c.Command == "push").Should().Be(pushes, "the pushed images are found in the registry");
        JsonDocument.Parse(resumed.Stdout).RootElement.GetProperty("notebook").GetProperty("url").GetString().Should().StartWith("http://127.0.0.1:8888/?token=");

        // The reverse: the environment, then the cloud resources (with --purge, the notebooks and the ECR images too).
        var down = await CliHarness.RunAsync(scenario.Run() with
        {
            Environment = new Dictionary<string, string?>(scenario.Environment) { ["PATH"] = SearchPath, ["KUBECONFIG"] = null },
        }, "down", "--destroy", "--purge", "--yes", "--kubeconfig", Kubeconfig, "--context", "fake", "-o", "json");

        down.ExitCode.Should().Be(0, down.ToString());
        var teardown = JsonDocument.Parse(down.Stdout).RootElement;
        teardown.GetProperty("infra").GetProperty("applied").GetBoolean().Should().BeTrue();
        kube.Objects.Get<V1Deployment>("kindling", "kindling-jupyter").Should().BeNull();
        (await scenario.ClustersAsync()).Should().BeEmpty();
        (await scenario.RepositoriesAsync()).Should().BeEmpty();
        scenario.State.Terraform.Should().BeNull();
    }

    [Fact]
    public async Task Down_destroy_after_the_cluster_is_gone_skips_the_environment_and_destroys_the_cloud()
    {
        var applied = await Cli("infra", "apply", "--auto-approve", "-o", "json");
        applied.ExitCode.Should().Be(0, applied.ToString());
        (await scenario.ClustersAsync()).Should().NotBeEmpty();
        // The cluster is gone: nothing listens at its API server's address any more.
        var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        File.WriteAllText(Kubeconfig, $"""
            apiVersion: v1
            kind: Config
            clusters:
            - name: fake
              cluster:
                server: https://127.0.0.1:{port}
                insecure-skip-tls-verify: true
            contexts:
            - name: fake
              context:
                cluster: fake
                user: fake
            current-context: fake
            users:
            - name: fake
              user:
                token: t
            """);

        var down = await Cli("down", "--destroy", "--yes", "--kubeconfig", Kubeconfig, "--context", "fake", "-o", "json");

        down.ExitCode.Should().Be(0, down.ToString());
        var teardown = JsonDocument.Parse(down.Stdout).RootElement;
        (teardown.TryGetProperty("environment", out var environment) ? environment.ValueKind : JsonValueKind.Null).Should().Be(JsonValueKind.Null, down.ToString());
        teardown.GetProperty("environmentNote").GetString().Should().Contain("cannot be reached", down.ToString());
        teardown.GetProperty("infra").GetProperty("applied").GetBoolean().Should().BeTrue();
        down.Stderr.Should().Contain("skipped: the cluster cannot be reached");
        (await scenario.ClustersAsync()).Should().BeEmpty();
        scenario.State.Terraform.Should().BeNull();
    }

    [Fact]
    public async Task Down_destroy_takes_down_the_environment_of_its_eks_cluster_not_of_the_current_context()
    {
        var applied = await Cli("infra", "apply", "--auto-approve", "-o", "json");
        applied.ExitCode.Should().Be(0, applied.ToString());
        // A laptop-style cluster (the fake API server) holds an environment of the same name and stays current
        // after the EKS context is written beside it.
        var up = await Cli("up", "--kubeconfig", Kubeconfig, "--context", "fake", "-o", "json");
        up.ExitCode.Should().Be(0, up.ToString());
        var written = await Cli("kubeconfig", "--kubeconfig", Kubeconfig, "-o", "json");
        written.ExitCode.Should().Be(0, written.ToString());
        var eksContext = $"kindling-{scenario.State.Terraform!.ClusterName}-eu-west-1";
        File.ReadAllText(Kubeconfig).Should().Contain(eksContext);
        File.WriteAllText(Kubeconfig, System.Text.RegularExpressions.Regex.Replace(
            File.ReadAllText(Kubeconfig), "(?m)^current-context:.*$", "current-context: fake"));

        var deletes = kube.Requests.Count(r => r.Method == "DELETE");
        var down = await Cli("down", "--destroy", "--purge", "--yes", "--kubeconfig", Kubeconfig, "-o", "json");

        // moto's EKS endpoint is no Kubernetes API: the environment step reaches the EKS context and fails or is
        // skipped there; either way the current context's environment and notebooks are untouched.
        kube.Objects.Get<V1Deployment>("kindling", "kindling-jupyter").Should().NotBeNull(down.ToString());
        kube.Objects.Get<V1PersistentVolumeClaim>("kindling", "kindling-notebooks").Should().NotBeNull(down.ToString());
        kube.Requests.Count(r => r.Method == "DELETE").Should().Be(deletes, down.ToString());
    }
}
