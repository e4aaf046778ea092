using System.Globalization;
using Kindling.Operations.Spark;
using Kindling.Spark;
using Kindling.Spark.Verify;

namespace Kindling.Operations.Verify;

/// <summary>A submitted verification job that finished: its final state and its driver log.</summary>
internal sealed record FinishedJob(SparkSubmitResult Submitted, SparkApplication Final, IReadOnlyList<string> DriverLog)
{
    public IReadOnlyList<string> Tail => [.. DriverLog.TakeLast(VerifyRun.LogTail).Select(l => $"{Submitted.DriverPod}: {l}")];
}

/// <summary>Submits a verification job exactly as <c>kindling submit --wait</c> does, and reads its driver log once it ends.</summary>
internal static class VerifyJobs
{
    /// <summary>Writes a Python program of the run to its private directory, to be shipped from the client.</summary>
    public static string WriteProgram(VerifyRun run, string fileName, string content)
    {
        PrivateDirectory.Create(run.LocalDirectory);
        var path = Path.Combine(run.LocalDirectory, fileName);
        File.WriteAllText(path, content);
        return path;
    }

    public static async Task<FinishedJob> RunAsync(VerifyRun run, string role, SparkApplicationSpec application, CancellationToken cancellationToken)
    {
        var conf = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (k, v) in application.Conf) conf[k] = v;
        foreach (var (k, v) in run.LabelConf) conf[k] = v;
        var spec = application with { Name = run.AppName(role), Conf = conf, Executors = VerifyPrograms.Partitions };

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(run.Options.JobTimeout);
        SparkSubmitResult? submitted = null;
        try
        {
            var result = await SubmitOperation.RunAsync(new SubmitOptions
            {
                Environment = run.Environment,
                Application = spec,
                Wait = true,
                OnSubmitted = s =>
                {
                    submitted = s;
                    lock (run.Applications) run.Applications.Add(s.AppId);
                    lock (run.Submitted) run.Submitted[role] = s;
                    run.Report(role, ProgressStatus.Waiting, $"{s.AppId} submitted (Pod/{s.DriverPod}); waiting for it to finish");
                },
            }, timeout.Token).ConfigureAwait(false);
            var log = await DriverLogAsync(run, result.Submitted!.AppId, cancellationToken).ConfigureAwait(false);
            return new FinishedJob(result.Submitted, result.Final!, log);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested && submitted is not null)
        {
            var now = await run.Apps.GetAsync(submitted.AppId, cancellationToken).ConfigureAwait(false);
            var state = now is null ? "its pods are gone" : $"it is {now.State}{(now.Reason is null ? "" : $" ({now.Reason}{(now.Message is null ? "" : ": " + now.Message)})")}";
            var log = await DriverLogAsync(run, submitted.AppId, cancellationToken).ConfigureAwait(false);
            throw new VerifyStageFailedException($"{role} ({submitted.AppId}) did not finish within {VerifyRun.Seconds(run.Options.JobTimeout)}: {state}",
                [.. log.TakeLast(VerifyRun.LogTail).Select(l => $"{submitted.DriverPod}: {l}")]);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            throw new VerifyStageFailedException($"{role} could not be submitted within {VerifyRun.Seconds(run.Options.JobTimeout)}");
        }
    }

    /// <summary>A job must have exited 0; otherwise the stage fails with how it ended and the end of its log.</summary>
    public static void RequireSucceeded(FinishedJob job, string? explain = null)
    {
        var final = job.Final;
        if (final.State == SparkApplicationState.Succeeded) return;
        var how = final.Reason is null ? final.State.ToString() : $"{final.State}: {final.Reason}";
        if (final.ExitCode is { } code) how += $" (exit {code.ToString(CultureInfo.InvariantCulture)})";
        if (final.Message is { Length: > 0 } message) how += $": {message}";
        throw new VerifyStageFailedException($"{job.Submitted.AppId} ({final.Name}) ended {how}{(explain is null ? "" : "; " + explain)}", job.Tail);
    }

    private static async Task<IReadOnlyList<string>> DriverLogAsync(VerifyRun run, string appId, CancellationToken cancellationToken)
    {
        var lines = new List<string>();
        try
        {
            await foreach (var line in run.Apps.GetLogsAsync(appId, new SparkLogOptions(), cancellationToken).ConfigureAwait(false)) lines.Add(line);
        }
        catch (KindlingException e)
        {
            lines.Add($"(driver log not readable: {e.Message})");
        }
        return lines;
    }
}
