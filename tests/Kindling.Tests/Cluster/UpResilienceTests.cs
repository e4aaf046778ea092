using k8s.Models;
using Kindling.Testing.FakeKube;

namespace Kindling.Tests.Cluster;

/// <summary>Each fault the fake can inject, during <c>up</c>: the command still converges.</summary>
public sealed class UpResilienceTests
{
    [Theory]
    [InlineData(500)]
    [InlineData(503)]
    [InlineData(429)]
    public async Task Error_bursts_during_apply_are_retried(int status)
    {
        await using var bed = await ClusterTestBed.StartAsync();
        bed.Kube.Faults.RetryAfterSeconds = 0;
        bed.Kube.Faults.FailNext(3, status, FaultInjector.Where(verb: "patch"));
        bed.Kube.Faults.FailNext(2, status, FaultInjector.Where(verb: "get"));

        var result = await bed.RunAsync("up");

        result.ExitCode.Should().Be(0, result.ToString());
        bed.Kube.Faults.PendingFailures.Should().Be(0);
        bed.Kube.Requests.Count(r => r.StatusCode == status).Should().Be(5);
        (await bed.RunAsync("up")).Stdout.Should().Contain("Nothing changed");
    }

    [Fact]
    public async Task A_conflict_is_answered_by_reading_again_and_reapplying()
    {
        await using var bed = await ClusterTestBed.StartAsync();
        bed.Kube.Faults.FailNext(1, 409, FaultInjector.Where(verb: "patch", resource: "deployments"));

        var result = await bed.RunAsync("up");

        result.ExitCode.Should().Be(0, result.ToString());
        bed.Kube.Requests.Count(r => r.Verb == "patch" && r.Resource == "deployments").Should().Be(2);
        bed.Kube.Objects.Exists<V1Deployment>(ClusterTestBed.Ns, ClusterTestBed.Deployment).Should().BeTrue();
    }

    [Fact]
    public async Task A_dropped_watch_during_the_wait_is_resumed()
    {
        await using var bed = await ClusterTestBed.StartAsync(autoReady: false);
        var up = bed.RunAsync("up");
        var pod = await bed.NotebookPodAsync();
        await WaitUntilAsync(() => bed.Kube.OpenWatches >= 3);

        var watchesBefore = bed.Kube.Requests.Count(r => r.Verb == "watch");
        bed.Kube.Faults.DropWatches().Should().BeGreaterThan(0);
        await WaitUntilAsync(() => bed.Kube.Requests.Count(r => r.Verb == "watch") > watchesBefore);
        bed.Kube.Pods.Running(ClusterTestBed.Ns, pod);
        var result = await up;

        result.ExitCode.Should().Be(0, result.ToString());
    }

    [Fact]
    public async Task Expired_watch_history_during_the_wait_makes_it_list_again()
    {
        await using var bed = await ClusterTestBed.StartAsync(autoReady: false);
        var up = bed.RunAsync("up");
        var pod = await bed.NotebookPodAsync();
        await WaitUntilAsync(() => bed.Kube.OpenWatches >= 3);
        var podListsBefore = bed.Kube.Requests.Count(r => r.Verb == "list" && r.Resource == "pods");

        // A change the pod watch does not carry moves the server's version past the waiter's; the history is then
        // compacted and the stream cut, so the waiter resumes from a version the server no longer has.
        bed.Kube.Objects.Create(new V1ConfigMap { Metadata = new V1ObjectMeta { Name = "unrelated" } }, ClusterTestBed.Ns);
        bed.Kube.Faults.ExpireWatchHistory();
        bed.Kube.Faults.DropWatches();
        bed.Kube.Pods.Running(ClusterTestBed.Ns, pod);
        var result = await up;

        result.ExitCode.Should().Be(0, result.ToString());
        bed.Kube.Requests.Count(r => r.Verb == "list" && r.Resource == "pods").Should().BeGreaterThan(podListsBefore);
    }

    [Fact]
    public async Task Interrupting_up_midway_and_running_it_again_converges()
    {
        await using var bed = await ClusterTestBed.StartAsync();
        bed.Kube.Faults.Latency = TimeSpan.FromMilliseconds(200);
        using var interrupt = new CancellationTokenSource();
        var up = bed.RunAsync(interrupt.Token, "up");
        // The first apply phase (ServiceAccount, Role, RoleBinding, PVC, ConfigMap) goes out in one wave; the
        // latency leaves the interrupt two more waves' time to land before the Deployment's.
        await WaitUntilAsync(() => bed.Kube.Requests.Count(r => r.Verb == "patch") >= 4);
        await interrupt.CancelAsync();
        var interrupted = await up;

        interrupted.ExitCode.Should().Be(130, interrupted.ToString());
        bed.Kube.Objects.Exists<V1Deployment>(ClusterTestBed.Ns, ClusterTestBed.Deployment).Should().BeFalse("the interrupt came before the last phase");

        bed.Kube.Faults.Latency = TimeSpan.Zero;
        var again = await bed.RunAsync("up");

        again.ExitCode.Should().Be(0, again.ToString());
        again.Stdout.Should().MatchRegex(@"Namespace/kindling\s+unchanged");
        again.Stdout.Should().MatchRegex(@"Deployment/kindling-jupyter\s+created");
        (await bed.RunAsync("up")).Stdout.Should().Contain("Nothing changed");
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        while (!condition()) await Task.Delay(20, timeout.Token);
    }
}
