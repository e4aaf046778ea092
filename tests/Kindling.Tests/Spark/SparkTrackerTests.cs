using k8s;
using Kindling.Cluster;
using Kindling.Operations.Spark;
using Kindling.Spark;
using static Kindling.Tests.Spark.SparkPods;

namespace Kindling.Tests.Spark;

public sealed class SparkTrackerTests
{
    [Fact]
    public void Reports_only_changes_of_the_application_an_event_touches()
    {
        var tracker = new SparkTracker();
        var a = Driver("spark-a", "a-driver", "uid-a").WithPhase("Pending");
        var b = Driver("spark-b", "b-driver", "uid-b").WithPhase("Pending");
        tracker.Replace([a, b]).Should().HaveCount(2);

        var running = Driver("spark-a", "a-driver", "uid-a").WithPhase("Running").WithDriverContainer(Running());
        tracker.Apply(WatchEventType.Modified, running)!.State.Should().Be(SparkApplicationState.Running);
        tracker.Apply(WatchEventType.Modified, running).Should().BeNull("nothing changed");
        tracker.Applications.Single(x => x.AppId == "spark-b").State.Should().Be(SparkApplicationState.Pending);
    }

    [Fact]
    public void A_driver_deleted_before_finishing_ends_the_application_as_deleted_even_while_executors_linger()
    {
        var tracker = new SparkTracker();
        var driver = Driver("spark-a", "a-driver", "uid-a").WithPhase("Running").WithDriverContainer(Running());
        var executor = Executor("spark-a", "a-exec-1", driver);
        tracker.Replace([driver, executor]);

        var afterDelete = tracker.Apply(WatchEventType.Deleted, driver);
        afterDelete!.State.Should().Be(SparkApplicationState.Failed);
        afterDelete.Reason.Should().Be("Deleted");
        afterDelete.ClientMode.Should().BeFalse();

        tracker.Apply(WatchEventType.Deleted, executor).Should().BeNull("the end was already reported");
        tracker.Applications.Should().BeEmpty();
    }

    [Fact]
    public void A_relist_reports_applications_that_vanished_while_disconnected()
    {
        var tracker = new SparkTracker();
        tracker.Replace([Driver("spark-a", "a-driver", "uid-a").WithPhase("Running").WithDriverContainer(Running())]);

        var changes = tracker.Replace([]);

        changes.Should().ContainSingle().Which.Reason.Should().Be("Deleted");
    }
}
