using System.CommandLine;
using Kindling.Operations;
using Kindling.Cli.Json;

namespace Kindling.Cli.Commands;

/// <summary><c>kindling up</c>.</summary>
internal static class UpCommand
{
    public static Command Create(CliContext ctx)
    {
        var command = new Command("up", "Apply the environment to the cluster (server-side apply, prune) and wait until the notebook is ready");
        var cluster = EnvironmentOptions.AddCluster(command);
        var output = CommonOptions.Output(OutputFormat.Text, OutputFormat.Json);
        var timeout = DurationOption.Create("--timeout", TimeSpan.FromMinutes(5), "How long to wait for readiness");
        command.Options.Add(output);
        command.Options.Add(timeout);
        var provision = UpProvisionCommand.AddOptions(command);
        CommandAction.Set(command, ctx, async (parse, ct) =>
        {
            if (provision.Requested(parse))
                return await UpProvisionCommand.RunAsync(ctx, parse, cluster, provision, new UpOptions { Timeout = parse.GetValue(timeout) }, parse.GetValue(output), ct);
            using var environment = cluster.Create(parse, ctx, new ProgressRenderer(ctx.ErrorConsole));
            var result = await UpOperation.RunAsync(environment, new UpOptions { Timeout = parse.GetValue(timeout) }, ct);
            if (parse.GetValue(output) == OutputFormat.Json) JsonOutput.Write(ctx.Stdout, result, JsonOutput.Types.UpResult);
            else WriteText(ctx.Stdout, result);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static void WriteText(TextWriter writer, UpResult result)
    {
        writer.WriteLine($"Namespace {result.Namespace} on {result.Cluster}:");
        var all = result.Objects.Concat(result.Pruned).ToList();
        var width = all.Max(o => o.Object.ToString().Length);
        foreach (var o in all)
        {
            var note = o.Note is null ? "" : $" ({o.Note})";
            writer.WriteLine($"  {o.Object.ToString().PadRight(width)}  {o.Action.ToString().ToLowerInvariant()}{note}");
        }
        writer.WriteLine(result.Unchanged
            ? $"Nothing changed; the environment is ready ({result.Elapsed.TotalSeconds:0.0}s)."
            : $"Environment ready in {result.Elapsed.TotalSeconds:0.0}s. Open the notebook with: kindling notebook");
    }
}
