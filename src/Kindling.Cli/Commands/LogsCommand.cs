using System.CommandLine;
using Kindling.Operations.Spark;

namespace Kindling.Cli.Commands;

/// <summary><c>kindling logs &lt;app&gt; [--executor N] [-f] [--tail N]</c>.</summary>
internal static class LogsCommand
{
    public static Command Create(CliContext ctx)
    {
        var support = new SparkCliSupport(fileShortAlias: false);
        var app = new Argument<string>("app") { Description = "App id, driver pod or application name" };
        var executor = new Option<int?>("--executor") { Description = "Read executor N instead of the driver" };
        var follow = new Option<bool>("--follow", "-f") { Description = "Stream until the container exits" };
        var tail = new Option<int?>("--tail") { Description = "Only the last N lines" };
        var command = new Command("logs", "Print the driver (or an executor) log, and how the container ended");
        command.Arguments.Add(app);
        command.Options.Add(executor);
        command.Options.Add(follow);
        command.Options.Add(tail);
        support.AddTo(command);

        CommandAction.Set(command, ctx, async (parse, ct) =>
        {
            var name = parse.GetValue(app)!;
            using var environment = support.Environment(parse, ctx);
            var apps = SparkEnvironment.Open(environment);
            var options = new SparkLogOptions { Executor = parse.GetValue(executor), Follow = parse.GetValue(follow), TailLines = parse.GetValue(tail) };
            SparkLogSource? source = null;
            // A live pod is read directly; once the pods are gone, the driver log Spark persisted to S3 is shown,
            // and stderr says which one it is (stdout stays the log itself).
            await foreach (var line in apps.GetLogsOrArchiveAsync(name, options, s =>
                           {
                               source = s;
                               if (s.Archived) ctx.Stderr.WriteLine($"Driver log from the archive {s.Location} (the driver pod is gone):");
                           }, ct))
                ctx.Stdout.WriteLine(line);
            if (source is { Archived: true })
            {
                foreach (var executorEnd in source.ExecutorEnds) ctx.Stderr.WriteLine(executorEnd);
                return ExitCodes.Ok;
            }
            if (await apps.GetTerminationAsync(name, options.Executor, ct) is { } end)
                ctx.Stderr.WriteLine($"{end.Pod}: terminated, reason {end.Reason}, exit code {end.ExitCode}{(end.Message is null ? "" : ": " + end.Message)}");
            return ExitCodes.Ok;
        });
        return command;
    }
}
