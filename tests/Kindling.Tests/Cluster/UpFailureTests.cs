using k8s.Models;
using Kindling.Tests.Cli;

namespace Kindling.Tests.Cluster;

/// <summary><c>up</c> when the environment cannot become ready, or may not be applied at all.</summary>
public sealed class UpFailureTests
{
    [Fact]
    public async Task ImagePullBackOff_fails_fast_with_the_image_and_the_pull_error()
    {
        await using var bed = await ClusterTestBed.StartAsync(autoReady: false);
        var up = bed.RunAsync("up", "--timeout", "5m");
        var pod = await bed.NotebookPodAsync();

        bed.Kube.Pods.Waiting(ClusterTestBed.Ns, pod, "ImagePullBackOff", "Back-off pulling image \"kindling/jupyter:nope\": not found");
        var result = await up;

        result.ExitCode.Should().Be(1, result.ToString());
        result.Stderr.Should().Contain("cannot become ready").And.NotContain("timed out");
        result.Stderr.Should().Contain($"Pod/{pod}: ImagePullBackOff");
        result.Stderr.Should().Contain("Back-off pulling image \"kindling/jupyter:nope\": not found");
        result.Stderr.Should().Contain($"Deployment/{ClusterTestBed.Deployment}: NotRolledOut");
        bed.AssertNoSecret(result);
    }

    [Fact]
    public async Task CrashLoopBackOff_reports_the_exit_and_the_last_log_lines()
    {
        await using var bed = await ClusterTestBed.StartAsync(autoReady: false);
        var up = bed.RunAsync("up");
        var pod = await bed.NotebookPodAsync();

        bed.Kube.Pods.SetLog(ClusterTestBed.Ns, pod, "starting jupyter\nModuleNotFoundError: No module named 'jupyterlab'\n", previous: true);
        bed.Kube.Pods.CrashLoop(ClusterTestBed.Ns, pod, exitCode: 3);
        var result = await up;

        result.ExitCode.Should().Be(1, result.ToString());
        result.Stderr.Should().Contain($"Pod/{pod}: CrashLoopBackOff");
        result.Stderr.Should().Contain("code 3");
        result.Stderr.Should().Contain("ModuleNotFoundError: No module named 'jupyterlab'");
    }

    [Fact]
    public async Task Unschedulable_pod_times_out_with_the_scheduler_event_and_the_pending_claim()
    {
        await using var bed = await ClusterTestBed.StartAsync(autoReady: false);
        // An Immediate class whose provisioner stops answering after doctor's preflight saw its pod: the claim never binds.
        bed.Kube.Objects.Create(new V1StorageClass { Metadata = new V1ObjectMeta { Name = "slow" }, Provisioner = "rancher.io/local-path", VolumeBindingMode = "Immediate" }, null);
        bed.Kube.Controllers.StoppedProvisioners.Add("rancher.io/local-path");
        File.WriteAllText(bed.Dir.File("kindling.yaml"), "notebook:\n  storageClass: slow\n");
        var up = bed.RunAsync("up", "--timeout", "6s");
        var pod = await bed.NotebookPodAsync();

        bed.Kube.Pods.Unschedulable(ClusterTestBed.Ns, pod, "0/3 nodes are available: 3 Insufficient cpu.");
        var result = await up;

        result.ExitCode.Should().Be(1, result.ToString());
        result.Stderr.Should().Contain("timed out after 6s");
        result.Stderr.Should().Contain($"Pod/{pod}: FailedScheduling");
        result.Stderr.Should().Contain("Insufficient cpu");
        result.Stderr.Should().Contain($"PersistentVolumeClaim/{ClusterTestBed.Claim}: Pending");
    }

    [Fact]
    public async Task Missing_permissions_are_all_listed_and_nothing_is_applied()
    {
        await using var bed = await ClusterTestBed.StartAsync();
        bed.Kube.Permissions.Deny("create", "namespaces");
        bed.Kube.Permissions.Deny("patch", "deployments", ClusterTestBed.Ns);
        bed.Kube.Permissions.Deny("delete", "services", ClusterTestBed.Ns);
        bed.Kube.Permissions.Deny("watch", "pods", ClusterTestBed.Ns);

        var result = await bed.RunAsync("up");

        result.ExitCode.Should().Be(1, result.ToString());
        result.Stderr.Should().Contain("nothing was changed");
        result.Stderr.Should().Contain("create namespaces (cluster-wide)");
        result.Stderr.Should().Contain("patch deployments.apps in kindling");
        result.Stderr.Should().Contain("delete services in kindling");
        result.Stderr.Should().Contain("watch pods in kindling");
        bed.Kube.Requests.All.Should().NotContain(r => r.Verb == "patch" || r.Verb == "create" && !r.IsReview);
        bed.Kube.Objects.Exists<V1Namespace>(null, ClusterTestBed.Ns).Should().BeFalse();
    }

    [Fact]
    public async Task An_unknown_context_is_bad_input_naming_the_file_and_the_contexts_it_has()
    {
        await using var bed = await ClusterTestBed.StartAsync();

        var result = await bed.RunAsync("up", "--context", "prod");

        result.ExitCode.Should().Be(2, result.ToString());
        result.Stderr.Should().Contain("context 'prod' is not in").And.Contain(bed.Kubeconfig).And.Contain("available: fake");
    }

    [Fact]
    public async Task Rejected_credentials_say_so_and_name_the_context()
    {
        await using var bed = await ClusterTestBed.StartAsync();
        var stale = bed.Dir.Write("stale-kubeconfig", File.ReadAllText(bed.Kubeconfig).Replace(bed.Kube.Token, "expired-token", StringComparison.Ordinal));

        var result = await CliHarness.RunAsync(bed.Dir.Path, "up", "--kubeconfig", stale);

        result.ExitCode.Should().Be(1, result.ToString());
        result.Stderr.Should().Contain("HTTP 401").And.Contain("context 'fake'").And.Contain("credentials were rejected");
        bed.Kube.Objects.Exists<V1Namespace>(null, ClusterTestBed.Ns).Should().BeFalse();
    }

    [Fact]
    public async Task An_unreachable_server_names_the_context_and_the_server_tried()
    {
        using var dir = new TempDir();
        var port = Kindling.Testing.FreePort.Next();
        var kubeconfig = dir.Write("kubeconfig", $"""
            apiVersion: v1
            kind: Config
            clusters:
            - name: gone
              cluster:
                server: http://127.0.0.1:{port}
            users:
            - name: u
              user:
                token: t
            contexts:
            - name: gone
              context:
                cluster: gone
                user: u
            current-context: gone
            """);

        var result = await CliHarness.RunAsync(new CliRun(dir.Path) { Environment = new Dictionary<string, string?> { ["KUBECONFIG"] = kubeconfig } }, "status");

        result.ExitCode.Should().Be(1, result.ToString());
        result.Stderr.Should().Contain("context 'gone'").And.Contain($"http://127.0.0.1:{port}").And.Contain(kubeconfig).And.Contain("connection refused");
    }
}
