using System.CommandLine;
using Kindling.Cluster;
using Kindling.Operations;
using Kindling.Cli.Json;

namespace Kindling.Cli.Commands;

/// <summary><c>kindling down</c>.</summary>
internal static class DownCommand
{
    public static Command Create(CliContext ctx)
    {
        var command = new Command("down", "Delete the environment from the cluster; the notebooks (PVC) and token are kept unless --purge");
        var cluster = EnvironmentOptions.AddCluster(command);
        var purge = new Option<bool>("--purge") { Description = "Also delete the notebooks' volume, the token Secret and the namespace" };
        var apps = new Option<bool>("--apps") { Description = "Stop the namespace's Spark applications first, as 'kindling kill' does" };
        var destroy = new Option<bool>("--destroy")
        {
            Description = "Then destroy the cloud resources 'up --provision' created (Terraform, after confirmation); with --purge also their ECR images. S3 data buckets are never deleted",
        };
        var yes = CommonOptions.Yes();
        var output = CommonOptions.Output(OutputFormat.Text, OutputFormat.Json);
        var timeout = DurationOption.Create("--timeout", TimeSpan.FromMinutes(5), "How long to wait for deleted objects to disappear");
        command.Options.Add(purge);
        command.Options.Add(apps);
        command.Options.Add(destroy);
        command.Options.Add(yes);
        command.Options.Add(output);
        command.Options.Add(timeout);
        CommandAction.Set(command, ctx, async (parse, ct) =>
        {
            using var environment = cluster.Create(parse, ctx, new ProgressRenderer(ctx.ErrorConsole));
            var options = new DownOptions { Purge = parse.GetValue(purge), Apps = parse.GetValue(apps), Timeout = parse.GetValue(timeout) };
            if (!parse.GetValue(yes) && !Confirm(ctx, environment, options))
            {
                ctx.Stderr.WriteLine("Cancelled; nothing was deleted.");
                return ExitCodes.Ok;
            }
            if (parse.GetValue(destroy))
                return DownDestroyOutput.Write(ctx, await Kindling.Operations.Provision.TeardownOperation.RunAsync(environment, options,
                    new InfraOptions
                    {
                        PurgeImages = options.Purge,
                        Confirm = InfraCommand.Confirmation(ctx, parse.GetValue(yes), "destroy",
                            changes => $"Terraform will destroy: {changes}. Destroy them?"),
                    }, ct), parse.GetValue(output), WriteText);
            var result = await DownOperation.RunAsync(environment, options, ct);
            if (parse.GetValue(output) == OutputFormat.Json) JsonOutput.Write(ctx.Stdout, result, JsonOutput.Types.DownResult);
            else WriteText(ctx.Stdout, result);
            return ExitCodes.Ok;
        });
        return command;
    }

    private static bool Confirm(CliContext ctx, EnvironmentContext environment, DownOptions options)
    {
        var spec = environment.Spec;
        var what = options.Purge
            ? $"environment '{spec.Name}' including its notebooks, token and namespace {spec.Namespace}"
            : $"environment '{spec.Name}' in namespace {spec.Namespace} (notebooks and token are kept)";
        if (!ctx.Interactive)
            throw new InvalidInputException("--yes", $"'kindling down' would delete the {what}; pass --yes to confirm when not running interactively");
        ctx.Stderr.Write($"Delete the {what}? [y/N] ");
        var answer = ctx.Stdin.ReadLine()?.Trim();
        return answer is not null && (answer.Equals("y", StringComparison.OrdinalIgnoreCase) || answer.Equals("yes", StringComparison.OrdinalIgnoreCase));
    }

    private static void WriteText(TextWriter writer, DownResult result)
    {
        if (result.Objects.Count == 0)
        {
            writer.WriteLine($"Nothing to delete in namespace {result.Namespace} on {result.Cluster}.");
            if (result.SparkApplications is { } remaining)
                writer.WriteLine($"Left running: {remaining}; stop them with 'kindling down --apps' or 'kindling kill <app>'.");
            return;
        }
        writer.WriteLine($"Namespace {result.Namespace} on {result.Cluster}:");
        var width = result.Objects.Max(o => o.Object.ToString().Length);
        foreach (var o in result.Objects)
        {
            var note = o.Note is null ? "" : $" ({o.Note})";
            writer.WriteLine($"  {o.Object.ToString().PadRight(width)}  {o.Action.ToString().ToLowerInvariant()}{note}");
        }
        var kept = result.Objects.Count(o => o.Action == ApplyAction.Kept);
        if (result.StoppedApplications.Count > 0) writer.WriteLine($"Stopped {result.StoppedApplications.Count} Spark application(s): {string.Join(", ", result.StoppedApplications)}.");
        if (result.SparkApplications is { } left)
            writer.WriteLine($"Left running: {left}; stop them with 'kindling down --apps' or 'kindling kill <app>'.");
        writer.WriteLine(kept > 0 ? $"Environment deleted; {kept} object(s) kept." : "Environment deleted.");
    }
}
