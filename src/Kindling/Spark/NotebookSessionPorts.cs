using System.Globalization;

namespace Kindling.Spark;

/// <summary>
/// The ports of the notebook pod's Spark sessions. Every kernel is its own client-mode driver and needs its own
/// driver RPC and block manager ports, which executors connect back to; so the notebook has
/// <see cref="Sessions"/> slots, slot <c>i</c> using <c>driverPort + 2i</c>, <c>blockManagerPort + 2i</c> and
/// <c>uiPort + i</c>. With the defaults (7078, 7079) the slots interleave into one contiguous range, 7078-7093
/// for 8 sessions. The start-up file (<c>00-kindling-spark.py</c>) claims a free slot per kernel with the same
/// rule; the headless Service lists every port (a Service has no port ranges) and the NetworkPolicy opens them as
/// ranges (<c>endPort</c>, stable since Kubernetes 1.25).
/// </summary>
/// <param name="DriverPort">Slot 0's <c>spark.driver.port</c>.</param>
/// <param name="BlockManagerPort">Slot 0's <c>spark.driver.blockManager.port</c>.</param>
/// <param name="UiPort">Slot 0's <c>spark.ui.port</c>.</param>
/// <param name="Sessions">How many sessions may run at once.</param>
public sealed record NotebookSessionPorts(int DriverPort, int BlockManagerPort, int UiPort, int Sessions)
{
    /// <summary>The distance between one slot's ports and the next slot's.</summary>
    public const int Stride = 2;

    /// <summary>The ports of an environment's notebook.</summary>
    public static NotebookSessionPorts For(Kindling.Configuration.SparkSpec spark) =>
        new(spark.DriverPort, spark.BlockManagerPort, spark.UiPort, spark.NotebookSessions);

    /// <summary>Most sessions one notebook pod may be configured for.</summary>
    public const int MaxSessions = 32;

    /// <summary>One slot's ports.</summary>
    public (int Driver, int BlockManager, int Ui) Slot(int index) =>
        (DriverPort + Stride * index, BlockManagerPort + Stride * index, UiPort + index);

    /// <summary>Every slot, in order.</summary>
    public IEnumerable<(int Driver, int BlockManager, int Ui)> Slots() => Enumerable.Range(0, Sessions).Select(Slot);

    /// <summary>
    /// The driver Service's ports. Slot 0 keeps Spark's port names; later slots add their index, staying within
    /// the 15 characters of an IANA service name.
    /// </summary>
    public IEnumerable<DriverServicePort> ServicePorts()
    {
        for (var i = 0; i < Sessions; i++)
        {
            var (driver, blockManager, ui) = Slot(i);
            var n = i.ToString(CultureInfo.InvariantCulture);
            yield return new(i == 0 ? SparkConventions.DriverPortName : $"driver-rpc-{n}", driver);
            yield return new(i == 0 ? SparkConventions.BlockManagerPortName : $"blockmanager-{n}", blockManager);
            yield return new(i == 0 ? SparkConventions.UiPortName : $"spark-ui-{n}", ui);
        }
    }

    /// <summary>The executors' ports (driver RPC and block manager of every slot) merged into contiguous ranges.</summary>
    public IReadOnlyList<(int From, int To)> ExecutorFacingRanges()
    {
        var ports = Slots().SelectMany(s => new[] { s.Driver, s.BlockManager }).Distinct().Order().ToList();
        var ranges = new List<(int From, int To)>();
        foreach (var port in ports)
        {
            if (ranges.Count > 0 && ranges[^1].To + 1 == port) ranges[^1] = (ranges[^1].From, port);
            else ranges.Add((port, port));
        }
        return ranges;
    }

    /// <summary>Every port the sessions use, with the kindling.yaml key it derives from, for collision checks.</summary>
    public IEnumerable<(string Path, int Port)> AllPorts() =>
        Slots().SelectMany(s => new[] { ("spark.driverPort", s.Driver), ("spark.blockManagerPort", s.BlockManager), ("spark.uiPort", s.Ui) });
}
