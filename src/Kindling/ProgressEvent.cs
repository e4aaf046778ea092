namespace Kindling;

/// <summary>How far a step has got.</summary>
public enum ProgressStatus
{
    /// <summary>The step started.</summary>
    Started,

    /// <summary>Something changed (created, updated, deleted).</summary>
    Changed,

    /// <summary>Checked, nothing to do.</summary>
    Unchanged,

    /// <summary>Waiting on something outside Kindling.</summary>
    Waiting,

    /// <summary>The step finished.</summary>
    Done,

    /// <summary>The step failed.</summary>
    Failed,

    /// <summary>Informational.</summary>
    Info,
}

/// <summary>
/// A progress report from an operation. Operations never write to the console: they report these, and the CLI
/// renders them (live with Spectre.Console, or as lines when output is redirected).
/// </summary>
/// <param name="Subject">What it is about: <c>Deployment/jupyter</c>, <c>aws_vpc.main</c>, a step name.</param>
/// <param name="Status">What happened.</param>
/// <param name="Message">Human detail; never contains secrets.</param>
/// <param name="Elapsed">Time since the step started, when known.</param>
public sealed record ProgressEvent(string Subject, ProgressStatus Status, string Message = "", TimeSpan? Elapsed = null);

/// <summary>Progress nobody listens to: the default when a caller passes none.</summary>
internal sealed class NoProgress : IProgress<ProgressEvent>
{
    public static NoProgress Instance { get; } = new();

    public void Report(ProgressEvent value) { }
}
