namespace Kindling.Tests.Cluster;

/// <summary>
/// A clock that never waits: a timer fires at once and moves the clock forward by its due time, so a time-bounded
/// retry budget is spent by the delays it asks for, without a test taking that long or timing anything.
/// </summary>
internal sealed class AdvancingTimeProvider : TimeProvider
{
    private long ticks;
    private readonly List<TimeSpan> delays = [];

    public TimeSpan Now => TimeSpan.FromTicks(Interlocked.Read(ref ticks));

    public IReadOnlyList<TimeSpan> Delays
    {
        get
        {
            lock (delays) return [.. delays];
        }
    }

    public override long TimestampFrequency => TimeSpan.TicksPerSecond;

    public override long GetTimestamp() => Interlocked.Read(ref ticks);

    public override DateTimeOffset GetUtcNow() => new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero) + Now;

    public void Advance(TimeSpan by) => Interlocked.Add(ref ticks, by.Ticks);

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
    {
        if (dueTime != Timeout.InfiniteTimeSpan)
        {
            lock (delays) delays.Add(dueTime);
            Advance(dueTime);
            ThreadPool.QueueUserWorkItem(_ => callback(state));
        }
        return new NoTimer();
    }

    private sealed class NoTimer : ITimer
    {
        public bool Change(TimeSpan dueTime, TimeSpan period) => true;

        public void Dispose()
        {
        }

        public ValueTask DisposeAsync() => ValueTask.CompletedTask;
    }
}
