using k8s.Models;
using Kindling.Cluster;

namespace Kindling.Tests.Cluster;

public sealed class PodConditionsTests
{
    private static V1Pod Pod(string phase, V1ContainerState? state = null, bool ready = false, params V1PodCondition[] conditions) => new()
    {
        Metadata = new V1ObjectMeta { Name = "p" },
        Spec = new V1PodSpec { Containers = [new V1Container { Name = "jupyter", Image = "img:1" }] },
        Status = new V1PodStatus
        {
            Phase = phase,
            Conditions = [.. conditions, new V1PodCondition { Type = "Ready", Status = ready ? "True" : "False" }],
            ContainerStatuses = state is null ? null : [new V1ContainerStatus { Name = "jupyter", State = state, Image = "img:1", ImageID = "", Ready = ready, RestartCount = 0 }],
        },
    };

    [Theory]
    [InlineData("ImagePullBackOff")]
    [InlineData("CrashLoopBackOff")]
    [InlineData("CreateContainerConfigError")]
    public void Waiting_states_that_need_a_fix_are_terminal(string reason)
    {
        var pod = Pod("Pending", new V1ContainerState { Waiting = new V1ContainerStateWaiting { Reason = reason, Message = "m" } });

        PodConditions.Terminal(pod).Should().Be((reason, "m"));
        PodConditions.Summary(pod).Should().Be($"Pending ({reason})");
    }

    [Fact]
    public void ContainerCreating_is_progress_not_failure()
    {
        var pod = Pod("Pending", new V1ContainerState { Waiting = new V1ContainerStateWaiting { Reason = "ContainerCreating" } });

        PodConditions.Terminal(pod).Should().BeNull();
        PodConditions.IsReady(pod).Should().BeFalse();
    }

    [Fact]
    public void Unscheduled_pod_shows_the_scheduler_reason()
    {
        var pod = Pod("Pending", null, false, new V1PodCondition { Type = "PodScheduled", Status = "False", Reason = "Unschedulable" });

        PodConditions.Summary(pod).Should().Be("Pending (Unschedulable)");
        PodConditions.Terminal(pod).Should().BeNull("a cluster autoscaler may still add a node");
    }

    [Fact]
    public void Ready_condition_makes_a_pod_ready()
    {
        var pod = Pod("Running", new V1ContainerState { Running = new V1ContainerStateRunning() }, ready: true);

        PodConditions.IsReady(pod).Should().BeTrue();
        PodConditions.Summary(pod).Should().Be("Ready");
    }

    [Theory]
    [InlineData(2, 2, 1, 1, 1, 1, true)]
    [InlineData(2, 1, 1, 1, 1, 1, false)] // the controller has not seen the new spec yet
    [InlineData(2, 2, 0, 1, 0, 1, false)] // new replica not created yet
    [InlineData(2, 2, 1, 2, 1, 1, false)] // an old replica is still running
    [InlineData(2, 2, 1, 1, 0, 1, false)] // not available yet
    public void Deployment_rollout_follows_kubectl_rollout_status(
        long generation, long observed, int updated, int replicas, int available, int desired, bool expected)
    {
        var deployment = new V1Deployment
        {
            Metadata = new V1ObjectMeta { Name = "d", Generation = generation },
            Spec = new V1DeploymentSpec { Replicas = desired },
            Status = new V1DeploymentStatus { ObservedGeneration = observed, UpdatedReplicas = updated, Replicas = replicas, AvailableReplicas = available },
        };

        PodConditions.IsRolledOut(deployment).Should().Be(expected);
    }

    [Fact]
    public void Selector_is_sorted_and_matches_only_pods_with_every_label()
    {
        var selector = new Dictionary<string, string> { ["b"] = "2", ["a"] = "1" };

        PodConditions.Selector(selector).Should().Be("a=1,b=2");
        PodConditions.Matches(new Dictionary<string, string> { ["a"] = "1", ["b"] = "2", ["c"] = "3" }, selector).Should().BeTrue();
        PodConditions.Matches(new Dictionary<string, string> { ["a"] = "1" }, selector).Should().BeFalse();
    }
}
