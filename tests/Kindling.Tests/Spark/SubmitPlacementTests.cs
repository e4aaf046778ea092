using k8s;
using k8s.Models;
using Kindling.Configuration;
using Kindling.Operations.Spark;
using Kindling.Resources;
using Kindling.Spark;

namespace Kindling.Tests.Spark;

/// <summary>
/// Submitted applications are placed like notebook sessions on Kindling's EKS: the driver on on-demand nodes, the
/// executors on the (spot) executor node group, tolerating its taint (issue 8 §5).
/// </summary>
public sealed class SubmitPlacementTests
{
    private static SparkSubmission Submit(SparkPlacement placement)
    {
        var app = new SparkApplicationSpec { Resource = "local:///opt/spark/examples/src/main/python/pi.py", Name = "placed" };
        var target = SparkEnvironment.Placed(SparkFixtures.Target, placement);
        return SparkSubmission.Build(new SparkSubmissionInputs(app, target, SparkFixtures.Ids().Next(), SparkAppSources.AsGiven(app)));
    }

    private static V1Pod ExecutorTemplate(SparkSubmission submission) =>
        Kindling.Resources.KubeYaml.Deserialize<V1Pod>(submission.ExecutorTemplateConfigMap!.Data.Values.Single());

    [Fact]
    public void With_an_executor_node_group_the_driver_stays_on_demand_and_executors_go_to_the_group()
    {
        var spec = new EnvironmentSpec();
        spec = spec with { Aws = spec.Aws with { ExecutorNodes = new ExecutorNodesSpec() } };

        var submission = Submit(SparkPlacement.For(spec, onKindlingEks: true));

        submission.DriverPod.Spec.NodeSelector.Should().Contain(NodePools.CapacityTypeLabel, NodePools.OnDemand);
        submission.DriverPod.Spec.Tolerations.Should().BeNullOrEmpty("drivers must not land on interruptible executor nodes");
        var executor = ExecutorTemplate(submission);
        executor.Spec.NodeSelector.Should().Contain(NodePools.PoolLabel, NodePools.ExecutorPool);
        executor.Spec.Tolerations.Should().ContainSingle(t => t.Key == NodePools.ExecutorTaintKey && t.Effect == NodePools.ExecutorTaintEffect);
    }

    [Fact]
    public void Off_Kindlings_EKS_nothing_is_pinned()
    {
        var submission = Submit(SparkPlacement.For(new EnvironmentSpec(), onKindlingEks: false));

        submission.DriverPod.Spec.NodeSelector.Should().BeNullOrEmpty();
        var executor = ExecutorTemplate(submission);
        executor.Spec.NodeSelector.Should().BeNullOrEmpty();
        executor.Spec.Tolerations.Should().BeNullOrEmpty();
    }
}
