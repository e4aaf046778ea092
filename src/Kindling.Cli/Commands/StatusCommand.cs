using System.CommandLine;
using Kindling.Operations;
using Kindling.Cli.Json;

namespace Kindling.Cli.Commands;

/// <summary><c>kindling status</c>.</summary>
internal static class StatusCommand
{
    public static Command Create(CliContext ctx)
    {
        var command = new Command("status", "Show the environment's health and the Spark applications running in its namespace");
        var cluster = EnvironmentOptions.AddCluster(command);
        var output = CommonOptions.Output(OutputFormat.Text, OutputFormat.Json);
        command.Options.Add(output);
        CommandAction.Set(command, ctx, async (parse, ct) =>
        {
            using var environment = cluster.Create(parse, ctx);
            var result = await StatusOperation.RunAsync(environment, ct);
            if (parse.GetValue(output) == OutputFormat.Json) JsonOutput.Write(ctx.Stdout, result, JsonOutput.Types.StatusResult);
            else WriteText(ctx.Stdout, result);
            // As 'kubectl wait' and health checks: a script can test readiness by the exit code alone.
            return result.Ready ? ExitCodes.Ok : ExitCodes.Failed;
        });
        return command;
    }

    private static void WriteText(TextWriter writer, StatusResult result)
    {
        writer.WriteLine($"Namespace {result.Namespace} on {result.Cluster}: {(result.Ready ? "ready" : "not ready")}");
        var width = result.Objects.Max(o => o.Kind.Length + o.Name.Length + 1);
        foreach (var o in result.Objects)
        {
            var state = !o.Present ? "missing" : o.Ready ? "ready" : "not ready";
            // The detail repeats the state for some objects ("missing", "present"); print it only when it adds something.
            var detail = string.Equals(o.Detail, state, StringComparison.OrdinalIgnoreCase) || o.Detail == "present" ? "" : o.Detail;
            writer.WriteLine($"  {(o.Kind + "/" + o.Name).PadRight(width)}  {state,-9}  {detail}".TrimEnd());
        }

        writer.WriteLine("Notebook pods:");
        if (result.NotebookPods.Count == 0) writer.WriteLine("  none");
        foreach (var p in result.NotebookPods) writer.WriteLine($"  {p.Name}  {p.Phase}  {p.Detail}");

        writer.WriteLine("Spark applications:");
        if (result.SparkApplications.Count == 0) writer.WriteLine("  none");
        foreach (var app in result.SparkApplications)
        {
            var ended = app.DriverEnded is null ? "" : $"  driver {app.DriverEnded}{(app.PodsGone ? "; pods deleted" : "")}";
            writer.WriteLine($"  {app.AppId}{(app.AppName is null ? "" : $" ({app.AppName})")}{ended}");
            foreach (var p in app.Pods) writer.WriteLine($"    {p.Role,-8}  {p.Name}  {p.Phase}");
        }
    }
}
