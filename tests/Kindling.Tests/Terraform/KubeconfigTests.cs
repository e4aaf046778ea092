using Kindling.Cluster;
using Kindling.Configuration;
using Kindling.Tests.Cli;
using Kindling.Testing;
using Kindling.Testing.Processes;

namespace Kindling.Tests.Terraform;

public sealed class KubeconfigTests
{
    private static readonly TerraformOutputs Outputs = new()
    {
        SparkRepositoryUrl = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/spark",
        JupyterRepositoryUrl = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/jupyter",
        ClusterName = "kindling",
        ClusterEndpoint = "https://ABCDEF.gr7.eu-west-1.eks.amazonaws.com",
        ClusterCertificateAuthority = "TFMwdExTMUNSVWRKVGlCRFJWSlU=",
    };

    private const string Existing =
        """
        apiVersion: v1
        kind: Config
        preferences: {}
        current-context: dev
        clusters:
        - name: dev
          cluster:
            server: https://dev.example:6443
            insecure-skip-tls-verify: true
            proxy-url: http://proxy.example:3128
        users:
        - name: dev
          user:
            token: dev-token
        contexts:
        - name: dev
          context:
            cluster: dev
            user: dev
            namespace: team-a
        """;

    [Fact]
    public async Task A_new_kubeconfig_gets_a_private_file_that_kubectl_reads_with_the_aws_exec_plugin()
    {
        using var dir = new TempDir();
        SaveOutputs(dir);
        var path = dir.File("home/.kube/config");

        var result = await CliHarness.RunAsync(
            new CliRun(dir.Path) { Environment = new Dictionary<string, string?> { ["HOME"] = dir.File("home"), ["KUBECONFIG"] = null } },
            "kubeconfig", "-o", "json");

        result.ExitCode.Should().Be(0, result.ToString());
        result.Stdout.Should().Contain("\"context\": \"kindling-kindling-eu-west-1\"").And.Contain("\"created\": true");
        if (!OperatingSystem.IsWindows())
            File.GetUnixFileMode(path).Should().Be(UnixFileMode.UserRead | UnixFileMode.UserWrite);
        (await Kubectl(path, "config", "current-context")).Should().Be("kindling-kindling-eu-west-1");
        (await Kubectl(path, "config", "view", "-o", "jsonpath={.clusters[0].cluster.server}")).Should().Be(Outputs.ClusterEndpoint);
        (await Kubectl(path, "config", "view", "-o", "jsonpath={.users[0].user.exec.apiVersion} {.users[0].user.exec.command} {.users[0].user.exec.args}"))
            .Should().Be("""client.authentication.k8s.io/v1beta1 aws ["--region","eu-west-1","eks","get-token","--cluster-name","kindling","--output","json"]""");
        (await Kubectl(path, "config", "view", "-o", "jsonpath={.contexts[0].context.namespace}")).Should().Be("kindling");
    }

    [Fact]
    public async Task Merging_leaves_every_other_entry_as_it_was_and_a_second_run_changes_nothing()
    {
        using var dir = new TempDir();
        SaveOutputs(dir);
        var path = dir.Write("kubeconfig", Existing);

        var first = await CliHarness.RunAsync(dir.Path, "kubeconfig", "--kubeconfig", "kubeconfig");
        var afterFirst = File.ReadAllText(path);
        var second = await CliHarness.RunAsync(dir.Path, "kubeconfig", "--kubeconfig", "kubeconfig");

        first.ExitCode.Should().Be(0, first.ToString());
        first.Stdout.Should().Contain("The previous context was 'dev'");
        second.ExitCode.Should().Be(0, second.ToString());
        File.ReadAllText(path).Should().Be(afterFirst, "the entries are replaced by name, never duplicated");
        (await Kubectl(path, "config", "get-contexts", "-o", "name")).Split('\n').Should().BeEquivalentTo("dev", "kindling-kindling-eu-west-1");
        (await Kubectl(path, "config", "view", "--raw", "-o",
            "jsonpath={.clusters[?(@.name=='dev')].cluster.server} {.clusters[?(@.name=='dev')].cluster.proxy-url} {.users[?(@.name=='dev')].user.token} {.contexts[?(@.name=='dev')].context.namespace}"))
            .Should().Be("https://dev.example:6443 http://proxy.example:3128 dev-token team-a");
    }

    [Fact]
    public void A_file_that_is_not_a_kubeconfig_is_left_alone()
    {
        var entry = EksKubeconfigEntry.From(Outputs, new EnvironmentSpec());

        var broken = () => EksKubeconfig.Merge("clusters: [unclosed", entry, "kubeconfig");
        var list = () => EksKubeconfig.Merge("- a\n- b\n", entry, "kubeconfig");
        var wrongShape = () => EksKubeconfig.Merge("clusters: {}\n", entry, "kubeconfig");

        broken.Should().Throw<KindlingException>().WithMessage("kubeconfig is not valid YAML*left unchanged");
        list.Should().Throw<KindlingException>().WithMessage("kubeconfig is not a kubeconfig*");
        wrongShape.Should().Throw<KindlingException>().WithMessage("kubeconfig: 'clusters' is not a list*");
    }

    [Fact]
    public async Task Without_saved_outputs_it_says_to_apply_first()
    {
        using var dir = new TempDir();

        var result = await CliHarness.RunAsync(dir.Path, "kubeconfig", "--kubeconfig", "kubeconfig");

        result.ExitCode.Should().Be(1, result.ToString());
        result.Stderr.Should().Contain("no Terraform outputs").And.Contain("run 'kindling infra apply'");
        File.Exists(dir.File("kubeconfig")).Should().BeFalse();
    }

    private static void SaveOutputs(TempDir dir) =>
        LocalStateStore.For(null, dir.Path).Save(new LocalState { Terraform = Outputs });

    private static async Task<string> Kubectl(string kubeconfig, params string[] args)
    {
        var kubectl = RequiredTool.Find("kubectl", "Install kubectl 1.32: https://kubernetes.io/docs/tasks/tools/");
        var result = await ToolRun.RunAsync(kubectl, [.. args, "--kubeconfig", kubeconfig], Path.GetDirectoryName(kubeconfig)!);
        result.ExitCode.Should().Be(0, result.ToString());
        return result.Stdout.Trim();
    }
}
