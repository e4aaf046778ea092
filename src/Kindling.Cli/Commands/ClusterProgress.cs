using Kindling.Operations;

namespace Kindling.Cli.Commands;

/// <summary>
/// Progress of the cluster commands as lines on stderr, so stdout stays the result (text or JSON) for scripts.
/// Messages never carry secrets: operations only report names, states and reasons.
/// </summary>
internal sealed class ClusterProgress(TextWriter writer) : IProgress<ProgressEvent>
{
    private readonly Lock gate = new();

    public void Report(ProgressEvent value)
    {
        var mark = value.Status switch
        {
            ProgressStatus.Done => "ok",
            ProgressStatus.Changed => "~",
            ProgressStatus.Unchanged => "=",
            ProgressStatus.Waiting => "..",
            ProgressStatus.Failed => "!!",
            _ => "-",
        };
        var elapsed = value.Elapsed is { } e ? $" ({e.TotalSeconds:0.0}s)" : "";
        lock (gate) writer.WriteLine($"{mark,2} {value.Subject}: {value.Message}{elapsed}");
    }
}
