using System.CommandLine;
using Kindling.Operations.Verify;

namespace Kindling.Cli.Commands;

/// <summary><c>kindling verify</c>.</summary>
internal static class VerifyCommand
{
    public static Command Create(CliContext ctx)
    {
        var command = new Command("verify",
            "Prove on the live cluster that the environment computes: Pi in a notebook kernel and as submitted PySpark and JVM jobs, an S3 Parquet round trip, history, clean-up; each stage timed");
        var cluster = EnvironmentOptions.AddCluster(command);
        var output = CommonOptions.Output(OutputFormat.Text, OutputFormat.Json);
        var keep = new Option<bool>("--keep") { Description = "Keep the Parquet files the storage stage writes to s3a://<bucket>/kindling-verify/<run id>/" };
        var timeout = DurationOption.Create("--timeout", TimeSpan.FromMinutes(10), "How long any one wait may take: a Spark run (a notebook cell, a submitted job), executors appearing or going, the History Server listing the runs");
        command.Options.Add(output);
        command.Options.Add(keep);
        command.Options.Add(timeout);
        CommandAction.Set(command, ctx, async (parse, ct) =>
        {
            using var environment = cluster.Create(parse, ctx, new ProgressRenderer(ctx.ErrorConsole));
            TimeSpan wait = parse.GetValue(timeout);
            var options = new VerifyOptions { Keep = parse.GetValue(keep), JobTimeout = wait, ExecutorTimeout = wait, HistoryTimeout = wait };
            var result = await VerifyOperation.RunAsync(environment, options, ct);
            if (parse.GetValue(output) == OutputFormat.Json) JsonOutput.Write(ctx.Stdout, result, JsonOutput.Types.VerifyResult);
            else WriteText(ctx.Stdout, result);
            return result.Passed ? ExitCodes.Ok : ExitCodes.Failed;
        });
        return command;
    }

    internal static void WriteText(TextWriter writer, VerifyResult result)
    {
        writer.WriteLine($"Verification {result.RunId} of namespace {result.Namespace}: {(result.Passed ? "passed" : "FAILED")} in {DurationOption.Format(result.Duration)}");
        foreach (var stage in result.Stages)
        {
            var word = stage.Status switch { VerifyStageStatus.Passed => "ok", VerifyStageStatus.Skipped => "skip", _ => "FAIL" };
            writer.WriteLine($"  {word,-4}  {stage.Name,-8}  {DurationOption.Format(stage.Duration),7}");
            foreach (var check in stage.Checks) writer.WriteLine($"                        {check}");
            if (stage.Reason is not null) writer.WriteLine($"                        {(stage.Status == VerifyStageStatus.Failed ? "reason" : "why")}: {stage.Reason}");
            foreach (var line in stage.Logs) writer.WriteLine($"                        | {line}");
        }
    }
}
