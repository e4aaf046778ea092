using Kindling.Operations;

namespace Kindling.Cli.Commands;

/// <summary>Progress lines on stderr, so stdout stays the result (text or JSON) for scripts.</summary>
internal sealed class ImagesProgress(TextWriter writer) : IProgress<ProgressEvent>
{
    private readonly Lock gate = new();

    public void Report(ProgressEvent value)
    {
        var elapsed = value.Elapsed is { } e ? $" ({e.TotalSeconds:0.0}s)" : "";
        var status = value.Status switch
        {
            ProgressStatus.Done => " - done",
            ProgressStatus.Failed => " - failed",
            ProgressStatus.Unchanged => " - unchanged",
            _ => "",
        };
        lock (gate) writer.WriteLine($"{value.Subject}: {value.Message}{status}{elapsed}");
    }
}
