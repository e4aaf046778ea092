using System.Globalization;
using Kindling.Operations;
using Spectre.Console;

namespace Kindling.Cli;

/// <summary>
/// Prints <see cref="ProgressEvent"/>s as one line each on a console (commands pass the error console, so stdout
/// stays the result for scripts). Thread-safe and synchronous: events appear in the order they are reported,
/// unlike <see cref="Progress{T}"/>, which posts them to the thread pool.
/// </summary>
/// <param name="console">Where the lines go.</param>
/// <param name="labelSubjects">
/// Whether the subject is a label before the message (<c>image/spark: building ...</c>) rather than the start of
/// one sentence with it (<c>aws_vpc.main created</c>): step names read as labels, resource addresses do not.
/// </param>
internal sealed class ProgressRenderer(IAnsiConsole console, bool labelSubjects = false) : IProgress<ProgressEvent>
{
    private readonly Lock gate = new();

    /// <summary>Prints <paramref name="value"/> as one line.</summary>
    public void Report(ProgressEvent value)
    {
        var (glyph, color) = value.Status switch
        {
            ProgressStatus.Started => ("→", "grey"),
            ProgressStatus.Changed => ("✓", "green"),
            ProgressStatus.Unchanged => ("=", "grey"),
            ProgressStatus.Waiting => ("…", "yellow"),
            ProgressStatus.Done => ("✓", "green"),
            ProgressStatus.Failed => ("✗", "red"),
            _ => ("·", "blue"),
        };
        var line = $"[{color}]{glyph}[/] {Markup.Escape(value.Subject)}";
        if (value.Message.Length > 0) line += $"{(labelSubjects ? ":" : "")} {Markup.Escape(value.Message)}";
        if (value.Elapsed is { } elapsed) line += $" [grey]({FormatElapsed(elapsed)})[/]";
        lock (gate) console.MarkupLine(line);
    }

    /// <summary><c>0.4s</c>, <c>12.0s</c>, <c>2m05s</c>.</summary>
    public static string FormatElapsed(TimeSpan elapsed) =>
        elapsed.TotalMinutes >= 1
            ? string.Create(CultureInfo.InvariantCulture, $"{(int)elapsed.TotalMinutes}m{elapsed.Seconds:00}s")
            : string.Create(CultureInfo.InvariantCulture, $"{elapsed.TotalSeconds:0.0}s");
}
