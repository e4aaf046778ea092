namespace Kindling.Tests;

/// <summary>Records progress synchronously, in report order (unlike <see cref="Progress{T}"/>, which posts to the thread pool).</summary>
public sealed class RecordingProgress : IProgress<ProgressEvent>
{
    private readonly List<ProgressEvent> events = [];

    public IReadOnlyList<ProgressEvent> Events
    {
        get
        {
            lock (events) return [.. events];
        }
    }

    public void Report(ProgressEvent value)
    {
        lock (events) events.Add(value);
    }
}
