using System.Diagnostics;

namespace Kindling.Tests.Cluster;

/// <summary>
/// A real clock that runs <see cref="Factor"/> times faster: every timer fires after dueTime / Factor and elapsed
/// time reads Factor times larger. A 60 s retry budget or a 1 s Retry-After costs a test milliseconds, and every
/// wait keeps its real ordering (nothing fires "at once", so no loop spins).
/// </summary>
internal sealed class ScaledTimeProvider(int factor = 100) : TimeProvider
{
    private readonly long start = Stopwatch.GetTimestamp();
    private readonly DateTimeOffset epoch = DateTimeOffset.UtcNow;

    public int Factor => factor;

    public override long TimestampFrequency => Stopwatch.Frequency;

    public override long GetTimestamp() => start + (Stopwatch.GetTimestamp() - start) * factor;

    public override DateTimeOffset GetUtcNow() => epoch + TimeSpan.FromTicks((DateTimeOffset.UtcNow - epoch).Ticks * factor);

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
        System.CreateTimer(callback, state, Scale(dueTime), Scale(period));

    private TimeSpan Scale(TimeSpan span) => span == Timeout.InfiniteTimeSpan || span <= TimeSpan.Zero ? span : span / factor;
}
