namespace Kindling.Operations.Verify;

/// <summary>Options of <c>kindling verify</c>.</summary>
public sealed record VerifyOptions
{
    /// <summary>Keep the Parquet files the storage stage wrote (<c>--keep</c>); only meaningful with object storage.</summary>
    public bool Keep { get; init; }

    /// <summary>How long one Spark run (a notebook cell, a submitted job) may take, scheduling and image pulls included.</summary>
    public TimeSpan JobTimeout { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>How long executor pods may take to appear, and to go after the session stops.</summary>
    public TimeSpan ExecutorTimeout { get; init; } = TimeSpan.FromMinutes(3);

    /// <summary>
    /// How long the History Server may take to list a finished application: it scans the event log directory every
    /// <c>spark.history.fs.update.interval</c> (10s by default), and rolling logs are compacted first.
    /// </summary>
    public TimeSpan HistoryTimeout { get; init; } = TimeSpan.FromMinutes(3);

    /// <summary>How long clean-up may take for every object of the run to be gone.</summary>
    public TimeSpan CleanupTimeout { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>Between two looks at pods or the History Server while waiting.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(2);

    /// <summary>The Jupyter kernel (kernelspec) the notebook stage starts.</summary>
    public string KernelName { get; init; } = "python3";
}
