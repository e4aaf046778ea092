using k8s.Models;
using Kindling.Spark;
using static Kindling.Tests.Spark.SparkPods;

namespace Kindling.Tests.Spark;

public sealed class SparkApplicationStatesTests
{
    [Fact]
    public void A_pod_without_status_is_submitted() =>
        SparkApplicationStates.FromDriver(Driver(), []).State.Should().Be(SparkApplicationState.Submitted);

    [Fact]
    public void Pending_while_containers_are_created()
    {
        var app = SparkApplicationStates.FromDriver(Driver().WithPhase("Pending").WithDriverContainer(Waiting("ContainerCreating")), []);

        app.State.Should().Be(SparkApplicationState.Pending);
        app.Reason.Should().BeNull();
    }

    [Fact]
    public void Unschedulable_is_pending_with_the_scheduler_message()
    {
        var app = SparkApplicationStates.FromDriver(Driver().WithPhase("Pending",
            new V1PodCondition { Type = "PodScheduled", Status = "False", Reason = "Unschedulable", Message = "0/3 nodes are available: 3 Insufficient cpu." }), []);

        app.State.Should().Be(SparkApplicationState.Pending);
        app.Reason.Should().Be("Unschedulable");
        app.Message.Should().Contain("Insufficient cpu");
    }

    [Theory]
    [InlineData("ImagePullBackOff")]
    [InlineData("ErrImagePull")]
    public void Image_pull_problems_are_pending_with_image_pull_back_off(string reason)
    {
        var app = SparkApplicationStates.FromDriver(Driver().WithPhase("Pending").WithDriverContainer(Waiting(reason, "pull access denied")), []);

        app.State.Should().Be(SparkApplicationState.Pending);
        app.Reason.Should().Be("ImagePullBackOff");
        app.Message.Should().Be("pull access denied");
    }

    [Fact]
    public void Running_with_executor_counts()
    {
        var driver = Driver().WithPhase("Running").WithDriverContainer(Running());
        driver.Metadata.Annotations = new Dictionary<string, string> { [SparkConventions.ExecutorsRequestedAnnotation] = "3" };
        var executors = new[] { Executor("spark-1", "e1", driver), Executor("spark-1", "e2", driver), Executor("spark-1", "e3", driver, "Pending") };

        var app = SparkApplicationStates.FromDriver(driver, executors);

        app.State.Should().Be(SparkApplicationState.Running);
        (app.ExecutorsRunning, app.ExecutorsRequested).Should().Be((2, 3));
    }

    [Fact]
    public void Driver_exit_zero_succeeds_even_while_a_sidecar_keeps_the_pod_running()
    {
        var driver = Driver().WithPhase("Running")
            .WithDriverContainer(Running(), "istio-proxy")
            .WithDriverContainer(Terminated(0, "Completed"));

        var app = SparkApplicationStates.FromDriver(driver, []);

        app.State.Should().Be(SparkApplicationState.Succeeded);
        app.ExitCode.Should().Be(0);
    }

    [Fact]
    public void Oom_killed_driver_fails_with_reason_and_exit_code()
    {
        var app = SparkApplicationStates.FromDriver(Driver().WithPhase("Failed").WithDriverContainer(Terminated(137, "OOMKilled")), []);

        app.State.Should().Be(SparkApplicationState.Failed);
        app.Reason.Should().Be("OOMKilled");
        app.ExitCode.Should().Be(137);
    }

    [Fact]
    public void Evicted_pod_fails_without_a_container_status()
    {
        var driver = Driver().WithPhase("Failed");
        driver.Status.Reason = "Evicted";
        driver.Status.Message = "The node was low on resource: memory.";

        var app = SparkApplicationStates.FromDriver(driver, []);

        app.State.Should().Be(SparkApplicationState.Failed);
        app.Reason.Should().Be("Evicted");
    }

    [Fact]
    public void The_newest_driver_of_an_application_is_the_one_derived_whatever_the_order()
    {
        // A resubmission under the same app id leaves the old driver pod until it is cleaned up.
        var old = Driver("spark-a", "a-1-driver", "uid-1").WithPhase("Failed");
        old.Metadata.CreationTimestamp = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc);
        var newer = Driver("spark-a", "a-2-driver", "uid-2").WithPhase("Running").WithDriverContainer(Running());
        newer.Metadata.CreationTimestamp = new DateTime(2026, 1, 2, 0, 0, 0, DateTimeKind.Utc);
        var undated = Driver("spark-a", "a-0-driver", "uid-0");
        undated.Metadata.CreationTimestamp = null;

        foreach (var order in new[] { new[] { old, newer, undated }, [undated, newer, old], [newer, undated, old] })
            SparkApplicationStates.FromPods(order).Single().DriverPod.Should().Be("a-2-driver");
    }

    [Fact]
    public void Groups_pods_into_cluster_and_client_mode_applications()
    {
        var driver = Driver("spark-a").WithPhase("Running").WithDriverContainer(Running());
        var notebook = Plain("kindling-jupyter-5d9c-x", "uid-nb");
        var pods = new[]
        {
            driver, Executor("spark-a", "a-exec-1", driver),
            Executor("spark-b", "b-exec-1", notebook), Executor("spark-b", "b-exec-2", notebook, "Pending"),
            notebook,
        };

        var apps = SparkApplicationStates.FromPods(pods);

        apps.Should().HaveCount(2);
        apps.Single(a => a.AppId == "spark-a").Should().Match<SparkApplication>(a => !a.ClientMode && a.State == SparkApplicationState.Running);
        apps.Single(a => a.AppId == "spark-b").Should().Match<SparkApplication>(a =>
            a.ClientMode && a.DriverPod == "kindling-jupyter-5d9c-x" && a.ExecutorsRunning == 1 && a.ExecutorsRequested == 2);
    }
}
