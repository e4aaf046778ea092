using System.Text;
using k8s;
using k8s.Models;

namespace Kindling.Tests.FakeKube;

public sealed class PodControlTests
{
    private static async Task<V1Pod> CreatePodAsync(FakeKubeHarness h, string name, params string[] containers) =>
        await h.Client.CoreV1.CreateNamespacedPodAsync(new V1Pod
        {
            Metadata = new V1ObjectMeta { Name = name },
            Spec = new V1PodSpec
            {
                RestartPolicy = "Never",
                Containers = (containers.Length == 0 ? ["main"] : containers).Select(c => new V1Container { Name = c, Image = "spark:4" }).ToList(),
            },
        }, "team");

    [Fact]
    public async Task Pods_move_through_the_states_tests_ask_for()
    {
        await using var h = await FakeKubeHarness.StartAsync();
        await CreatePodAsync(h, "p");

        h.Kube.Pods.Unschedulable("team", "p");
        var pod = await h.Client.CoreV1.ReadNamespacedPodAsync("p", "team");
        pod.Status.Phase.Should().Be("Pending");
        pod.Status.Conditions.Should().ContainSingle(c => c.Type == "PodScheduled" && c.Status == "False" && c.Reason == "Unschedulable"
                                                          && c.Message == "0/3 nodes are available: 3 Insufficient cpu.");
        var events = await h.Client.CoreV1.ListNamespacedEventAsync("team", fieldSelector: "involvedObject.name=p");
        events.Items.Should().Contain(e => e.Reason == "FailedScheduling" && e.Type == "Warning");

        h.Kube.Pods.Waiting("team", "p", "ImagePullBackOff", "Back-off pulling image \"spark:4\"");
        pod = await h.Client.CoreV1.ReadNamespacedPodAsync("p", "team");
        pod.Status.ContainerStatuses.Single().State.Waiting.Reason.Should().Be("ImagePullBackOff");

        h.Kube.Pods.Running("team", "p");
        pod = await h.Client.CoreV1.ReadNamespacedPodAsync("p", "team");
        pod.Status.Phase.Should().Be("Running");
        pod.Status.PodIP.Should().NotBeNullOrEmpty();
        pod.Status.Conditions.Should().Contain(c => c.Type == "Ready" && c.Status == "True");

        h.Kube.Pods.OomKilled("team", "p");
        pod = await h.Client.CoreV1.ReadNamespacedPodAsync("p", "team");
        pod.Status.Phase.Should().Be("Failed");
        var terminated = pod.Status.ContainerStatuses.Single().State.Terminated;
        terminated.Reason.Should().Be("OOMKilled");
        terminated.ExitCode.Should().Be(137);
    }

    [Fact]
    public async Task Crash_loop_keeps_last_termination_and_restart_count()
    {
        await using var h = await FakeKubeHarness.StartAsync();
        await CreatePodAsync(h, "p");
        h.Kube.Pods.Running("team", "p");
        h.Kube.Pods.CrashLoop("team", "p", exitCode: 2);
        var status = (await h.Client.CoreV1.ReadNamespacedPodAsync("p", "team")).Status.ContainerStatuses.Single();
        status.State.Waiting.Reason.Should().Be("CrashLoopBackOff");
        status.LastState.Terminated.ExitCode.Should().Be(2);
        status.RestartCount.Should().Be(1);
    }

    [Fact]
    public async Task Logs_answer_like_the_kubelet_and_follow_streams_appends_until_the_container_ends()
    {
        await using var h = await FakeKubeHarness.StartAsync();
        await CreatePodAsync(h, "p", "driver", "sidecar");

        var waiting = await CrudTests.Capture(() => h.Client.CoreV1.ReadNamespacedPodLogAsync("p", "team", container: "driver"));
        waiting.Code.Should().Be(400);
        waiting.Message.Should().Contain("is waiting to start");
        var ambiguous = await CrudTests.Capture(() => h.Client.CoreV1.ReadNamespacedPodLogAsync("p", "team"));
        ambiguous.Message.Should().Contain("a container name must be specified");

        h.Kube.Pods.Running("team", "p");
        h.Kube.Pods.SetLog("team", "p", "one\ntwo\nthree\n", container: "driver");
        using (var tail = new StreamReader(await h.Client.CoreV1.ReadNamespacedPodLogAsync("p", "team", container: "driver", tailLines: 2)))
        {
            (await tail.ReadToEndAsync()).Should().Be("two\nthree\n");
        }

        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(20));
        await using var stream = await h.Client.CoreV1.ReadNamespacedPodLogAsync("p", "team", container: "driver", follow: true, cancellationToken: cts.Token);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        (await reader.ReadLineAsync(cts.Token)).Should().Be("one");
        await reader.ReadLineAsync(cts.Token);
        await reader.ReadLineAsync(cts.Token);
        h.Kube.Pods.AppendLog("team", "p", "four\n", container: "driver");
        (await reader.ReadLineAsync(cts.Token)).Should().Be("four");
        h.Kube.Pods.Terminated("team", "p", "Error", 1, container: "driver");
        (await reader.ReadToEndAsync(cts.Token)).Should().BeEmpty();
    }
}
