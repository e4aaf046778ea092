using k8s.Models;
using Kindling.Spark;
using Kindling.Tests.Cli;

namespace Kindling.Tests.Spark;

/// <summary><c>submit --wait</c>: the final state printed once with the logs command; Ctrl+C stops waiting, not the application.</summary>
public sealed class SubmitWaitTests
{
    private static async Task<string> DriverAppearsAsync(FakeSparkCluster cluster)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (true)
        {
            var drivers = cluster.Kube.Objects.List<V1Pod>(FakeSparkCluster.Ns, $"{SparkConventions.RoleLabel}=driver");
            // The wait starts once the owned objects exist too: the Service is created last of the second round trip.
            if (drivers.Count == 1 && cluster.Kube.Objects.List<V1Service>(FakeSparkCluster.Ns).Count > 0)
                return SparkApplicationStates.AppIdOf(drivers[0])!;
            await Task.Delay(50, timeout.Token);
        }
    }

    [Fact]
    public async Task Wait_prints_the_final_state_once_with_the_logs_command_and_exits_by_the_outcome()
    {
        await using var cluster = await FakeSparkCluster.StartAsync();
        var run = cluster.CliAsync("submit", "--wait", "--name", "waited", "local:///opt/app.py");
        var appId = await DriverAppearsAsync(cluster);
        var pod = cluster.DriverPod(appId).Metadata.Name;
        cluster.Kube.Pods.Running(FakeSparkCluster.Ns, pod);
        await Task.Delay(300);
        cluster.Kube.Pods.Failed(FakeSparkCluster.Ns, pod, exitCode: 3);

        var result = await run;

        result.ExitCode.Should().Be(1, $"the application failed\n{result}");
        var stdout = result.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        stdout.Count(l => l.Contains("Failed", StringComparison.Ordinal)).Should().Be(1, $"the final state is printed once\n{result}");
        stdout.Should().ContainSingle(l => l == $"Logs: kindling logs {appId}");
        stdout.Should().NotContain(l => l.Contains("Running", StringComparison.Ordinal), "intermediate states go to stderr");
    }

    [Fact]
    public async Task Ctrl_c_while_waiting_says_the_application_keeps_running_and_how_to_stop_it()
    {
        await using var cluster = await FakeSparkCluster.StartAsync();
        using var ctrlC = new CancellationTokenSource();
        var run = CliHarness.RunAsync(cluster.Run with { Cancellation = ctrlC.Token }, "submit", "--wait", "--name", "long", "local:///opt/app.py");
        var appId = await DriverAppearsAsync(cluster);
        cluster.Kube.Pods.Running(FakeSparkCluster.Ns, cluster.DriverPod(appId).Metadata.Name);
        await Task.Delay(300);

        await ctrlC.CancelAsync();
        var result = await run;

        result.ExitCode.Should().Be(130, result.ToString());
        result.Stderr.Should().Contain($"{appId} keeps running in namespace {FakeSparkCluster.Ns}")
            .And.Contain($"kindling kill {appId}").And.Contain($"kindling logs -f {appId}");
        cluster.DriverPod(appId).Metadata.DeletionTimestamp.Should().BeNull("Ctrl+C stops the waiting, not the application");
    }
}
