using Kindling.Spark;
using static Kindling.Tests.Spark.SparkPods;

namespace Kindling.Tests.Spark;

public sealed class SparkOrphansTests
{
    [Fact]
    public void Finds_executors_whose_driver_or_notebook_is_gone()
    {
        var liveDriver = Driver("spark-live", "live-driver", "uid-live");
        var goneDriver = Driver("spark-gone", "gone-driver", "uid-gone");
        var liveNotebook = Plain("kindling-jupyter-abc-1", "uid-nb-live");
        var goneNotebook = Plain("kindling-jupyter-abc-0", "uid-nb-gone");
        var pods = new[]
        {
            liveDriver, liveNotebook,
            Executor("spark-live", "live-exec-1", liveDriver),
            Executor("spark-gone", "gone-exec-1", goneDriver),
            Executor("spark-nb1", "nb1-exec-1", liveNotebook),
            Executor("spark-nb0", "nb0-exec-1", goneNotebook),
            Executor("spark-loose", "loose-exec-1", owner: null),
        };

        var orphans = SparkOrphans.Find(pods, "kindling-jupyter-");

        orphans.Should().BeEquivalentTo(new[]
        {
            new OrphanExecutor("gone-exec-1", "spark-gone", "gone-driver", OrphanReason.DriverGone),
            new OrphanExecutor("loose-exec-1", "spark-loose", null, OrphanReason.NoDriver),
            new OrphanExecutor("nb0-exec-1", "spark-nb0", "kindling-jupyter-abc-0", OrphanReason.NotebookGone),
        }, o => o.WithStrictOrdering());
    }

    [Fact]
    public void A_recreated_pod_with_the_same_name_does_not_adopt_old_executors()
    {
        var old = Driver("spark-x", "etl-driver", "uid-old");
        var recreated = Driver("spark-y", "etl-driver", "uid-new");

        var orphans = SparkOrphans.Find([recreated, Executor("spark-x", "etl-exec-1", old)]);

        orphans.Should().ContainSingle().Which.Reason.Should().Be(OrphanReason.DriverGone);
    }
}
