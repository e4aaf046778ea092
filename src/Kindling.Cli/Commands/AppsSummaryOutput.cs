using System.Globalization;
using Kindling.Operations.Spark;

namespace Kindling.Cli.Commands;

/// <summary>How <c>apps --all</c> and <c>apps -o wide</c> print rows of live and finished applications.</summary>
internal static class AppsSummaryOutput
{
    public static void WriteTable(TextWriter writer, IReadOnlyList<SparkApplicationSummary> rows, bool wide)
    {
        if (rows.Count == 0)
        {
            writer.WriteLine("No Spark applications.");
            return;
        }
        string[] header = wide
            ? ["NAME", "APP ID", "STATE", "DURATION", "EXECUTORS", "ACTIVE", "DONE", "FAILED", "DRIVER POD", "NODE", "SUBMITTER", "SOURCE", "REASON"]
            : ["NAME", "APP ID", "STATE", "DURATION", "EXECUTORS", "SUBMITTER", "SOURCE", "REASON"];
        var table = rows.Select(r =>
        {
            var cells = new List<string> { r.Name, r.AppId, r.State, r.Duration is { } d ? Duration(d) : "-", Number(r.Tasks?.Executors ?? r.Executors) };
            // As kubectl get -o wide adds the node: where the driver runs (none once only the History Server knows it).
            if (wide) cells.AddRange([Number(r.Tasks?.Active), Number(r.Tasks?.Completed), Number(r.Tasks?.Failed), r.Live?.DriverPod ?? "-", r.Live?.DriverNode ?? "-"]);
            cells.AddRange([r.Submitter ?? "-", r.Source, r.Reason ?? ""]);
            return cells.ToArray();
        }).ToList();
        var widths = header.Select((h, i) => Math.Max(h.Length, table.Max(r => r[i].Length))).ToArray();
        writer.WriteLine(Line(header, widths));
        foreach (var row in table) writer.WriteLine(Line(row, widths));
    }

    private static string Number(int? value) => value?.ToString(CultureInfo.InvariantCulture) ?? "-";

    private static string Line(string[] cells, int[] widths) =>
        string.Join("  ", cells.Select((c, i) => i == cells.Length - 1 ? c : c.PadRight(widths[i]))).TrimEnd();

    private static string Duration(TimeSpan d) => d switch
    {
        { TotalHours: >= 1 } => $"{(int)d.TotalHours}h{d.Minutes:00}m",
        { TotalMinutes: >= 1 } => $"{(int)d.TotalMinutes}m{d.Seconds:00}s",
        _ => $"{Math.Max(0, (int)d.TotalSeconds)}s",
    };
}
