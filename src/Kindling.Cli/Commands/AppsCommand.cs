using System.CommandLine;
using Kindling.Operations.Spark;
using Kindling.Spark;
using Kindling.Cli.Json;

namespace Kindling.Cli.Commands;

/// <summary><c>kindling apps [-o json] [--orphans [--delete]]</c>.</summary>
internal static class AppsCommand
{
    public static Command Create(CliContext ctx)
    {
        var support = new SparkCliSupport();
        var orphans = new Option<bool>("--orphans") { Description = "List executor pods whose driver or notebook pod is gone" };
        var delete = new Option<bool>("--delete") { Description = "With --orphans: delete them" };
        var all = new Option<bool>("--all") { Description = "Finished applications too, from the History Server (merged with live ones by id)" };
        var output = CommonOptions.Output(OutputFormat.Text, OutputFormat.Json, OutputFormat.Wide);
        var command = new Command("apps", "List the Spark applications of the namespace (any submitter), with state, executors and failure reason");
        command.Options.Add(all);
        command.Options.Add(orphans);
        command.Options.Add(delete);
        command.Options.Add(output);
        support.AddTo(command);
        command.Validators.Add(result =>
        {
            if (result.GetValue(delete) && !result.GetValue(orphans)) result.AddError("--delete only works with --orphans");
        });

        CommandAction.Set(command, ctx, async (parse, ct) =>
        {
            using var environment = support.Environment(parse, ctx);
            var apps = SparkEnvironment.Open(environment);
            var format = parse.GetValue(output);
            if (parse.GetValue(orphans))
            {
                var found = parse.GetValue(delete) ? await apps.DeleteOrphansAsync(ct) : await apps.ListOrphansAsync(ct);
                if (format == OutputFormat.Json) JsonOutput.Write(ctx.Stdout, found, JsonOutput.Types.IReadOnlyListOrphanExecutor);
                else WriteOrphans(ctx.Stdout, found, parse.GetValue(delete));
                return ExitCodes.Ok;
            }
            if (parse.GetValue(all) || format == OutputFormat.Wide)
            {
                var rows = await apps.ListAsync(new SparkListOptions { IncludeFinished = parse.GetValue(all), Tasks = format == OutputFormat.Wide }, ct);
                if (format == OutputFormat.Json) JsonOutput.Write(ctx.Stdout, rows.Select(AppRowOutput.From).ToList(), JsonOutput.Types.ListAppRowOutput);
                else AppsSummaryOutput.WriteTable(ctx.Stdout, rows, format == OutputFormat.Wide);
                return ExitCodes.Ok;
            }
            var list = await apps.ListAsync(ct);
            if (format == OutputFormat.Json) JsonOutput.Write(ctx.Stdout, list.Select(AppOutput.From).ToList(), JsonOutput.Types.ListAppOutput);
            else WriteTable(ctx.Stdout, list, ctx.Time.GetUtcNow(), wide: format == OutputFormat.Wide);
            return ExitCodes.Ok;
        });
        return command;
    }

    internal static void WriteTable(TextWriter writer, IReadOnlyList<SparkApplication> apps, DateTimeOffset now, bool wide = false)
    {
        if (apps.Count == 0)
        {
            writer.WriteLine("No Spark applications.");
            return;
        }
        // -o wide adds where the driver runs, as kubectl get -o wide adds the node; the reason stays last.
        string[] header = wide
            ? ["NAME", "APP ID", "STATE", "EXECUTORS", "AGE", "DRIVER POD", "NODE", "REASON"]
            : ["NAME", "APP ID", "STATE", "EXECUTORS", "AGE", "REASON"];
        var rows = apps.Select(a => wide ? new[]
        {
            a.Name,
            a.AppId,
            a.State.ToString() + (a.ClientMode ? " (session)" : ""),
            $"{a.ExecutorsRunning}/{a.ExecutorsRequested}",
            a.CreatedAt is { } wc ? Age(now - wc) : "-",
            a.DriverPod ?? "-",
            a.DriverNode ?? "-",
            a.Reason is null ? "" : a.Reason + (a.ExitCode is { } wcode and not 0 ? $" (exit {wcode})" : "") + (a.Message is null ? "" : ": " + a.Message),
        } : new[]
        {
            a.Name,
            a.AppId,
            a.State.ToString() + (a.ClientMode ? " (session)" : ""),
            $"{a.ExecutorsRunning}/{a.ExecutorsRequested}",
            a.CreatedAt is { } c ? Age(now - c) : "-",
            a.Reason is null ? "" : a.Reason + (a.ExitCode is { } code and not 0 ? $" (exit {code})" : "") + (a.Message is null ? "" : ": " + a.Message),
        }).ToList();
        var widths = header.Select((h, i) => Math.Max(h.Length, rows.Max(r => r[i].Length))).ToArray();
        writer.WriteLine(Line(header, widths));
        foreach (var row in rows) writer.WriteLine(Line(row, widths));
    }

    private static string Line(string[] cells, int[] widths) =>
        string.Join("  ", cells.Select((c, i) => i == cells.Length - 1 ? c : c.PadRight(widths[i]))).TrimEnd();

    private static string Age(TimeSpan age) => age switch
    {
        { TotalDays: >= 1 } => $"{(int)age.TotalDays}d",
        { TotalHours: >= 1 } => $"{(int)age.TotalHours}h",
        { TotalMinutes: >= 1 } => $"{(int)age.TotalMinutes}m",
        _ => $"{Math.Max(0, (int)age.TotalSeconds)}s",
    };

    private static void WriteOrphans(TextWriter writer, IReadOnlyList<OrphanExecutor> orphans, bool deleted)
    {
        if (orphans.Count == 0)
        {
            writer.WriteLine("No orphaned Spark pods.");
            return;
        }
        foreach (var o in orphans)
        {
            var why = o.Reason switch
            {
                OrphanReason.NotebookGone => $"notebook pod {o.Owner} is gone",
                OrphanReason.DriverGone => $"driver pod {o.Owner} is gone",
                OrphanReason.ConfigMapMissing => $"driver pod whose ConfigMap {o.Owner} never appeared",
                _ => "no owner and no driver pod",
            };
            writer.WriteLine($"{o.Pod}  {o.AppId}  {why}{(deleted ? "  (deleted)" : "")}");
        }
        if (!deleted) writer.WriteLine("Delete them with: kindling apps --orphans --delete");
    }
}
