using Kindling.Configuration;

namespace Kindling.Operations.Verify;

/// <summary>
/// <c>kindling verify</c>: proves on the live cluster that the environment computes, in five timed stages:
/// a notebook kernel's Pi, submitted PySpark and JVM jobs, an S3 Parquet round trip, the History Server, and
/// clean-up. A failed stage does not stop the ones after it that do not depend on it; clean-up always runs.
/// </summary>
public static class VerifyOperation
{
    /// <summary>Checks the options against the environment before anything is contacted.</summary>
    /// <exception cref="InvalidInputException"><c>--keep</c> without object storage.</exception>
    public static void Validate(EnvironmentContext environment, VerifyOptions options)
    {
        ArgumentNullException.ThrowIfNull(environment);
        ArgumentNullException.ThrowIfNull(options);
        if (options.Keep && StorageVerification.Bucket(environment.Spec) is null)
            throw new InvalidInputException("--keep",
                "there is nothing to keep: --keep keeps the Parquet files of the storage stage, and " + StorageVerification.NoStorage + "; or drop --keep");
    }

    /// <summary>Runs every stage and returns what each found; the result says whether all passed.</summary>
    /// <exception cref="InvalidInputException">Bad options (nothing was contacted).</exception>
    public static async Task<VerifyResult> RunAsync(EnvironmentContext environment, VerifyOptions options, CancellationToken cancellationToken)
    {
        Validate(environment, options);
        // Opening the connection reads the kubeconfig and contacts nothing: a bad one is bad input before any stage.
        _ = environment.Connection;
        var run = new VerifyRun(environment, options);
        var started = environment.Time.GetTimestamp();
        var stages = new List<VerifyStageResult>();
        try
        {
            await StageAsync(run, NotebookVerification.Name, NotebookVerification.RunAsync, stages, cancellationToken).ConfigureAwait(false);
            await StageAsync(run, SubmitVerification.Name, SubmitVerification.RunAsync, stages, cancellationToken).ConfigureAwait(false);
            await StageAsync(run, StorageVerification.Name, StorageVerification.RunAsync, stages, cancellationToken).ConfigureAwait(false);
            await StageAsync(run, HistoryVerification.Name, HistoryVerification.RunAsync, stages, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            // Clean-up runs even after Ctrl+C, with its own bounded time, so an interrupted run leaves nothing behind.
            using var cleanupTime = new CancellationTokenSource(options.CleanupTimeout + TimeSpan.FromSeconds(30));
            var token = cancellationToken.IsCancellationRequested ? cleanupTime.Token : cancellationToken;
            await StageAsync(run, CleanupVerification.Name, CleanupVerification.RunAsync, stages, token).ConfigureAwait(false);
        }
        return new VerifyResult(run.RunId, run.Ns, stages.All(s => s.Status != VerifyStageStatus.Failed), environment.Time.GetElapsedTime(started), stages);
    }

    private static async Task<VerifyStageResult> StageAsync(VerifyRun run, string name, Func<VerifyRun, CancellationToken, Task<IReadOnlyList<string>>> stage,
        List<VerifyStageResult> stages, CancellationToken cancellationToken)
    {
        var time = run.Environment.Time;
        var started = time.GetTimestamp();
        run.Report(name, ProgressStatus.Started, $"stage {name}");
        VerifyStageResult result;
        int before;
        lock (run.Applications) before = run.Applications.Count;
        IReadOnlyList<string> Apps()
        {
            lock (run.Applications) return [.. run.Applications.Skip(before)];
        }
        try
        {
            var checks = await stage(run, cancellationToken).ConfigureAwait(false);
            result = new VerifyStageResult(name, VerifyStageStatus.Passed, time.GetElapsedTime(started), checks, null, [], Apps());
            run.Report(name, ProgressStatus.Done, $"{name} passed in {VerifyRun.Seconds(result.Duration)}");
        }
        catch (VerifyStageSkippedException e)
        {
            result = new VerifyStageResult(name, VerifyStageStatus.Skipped, time.GetElapsedTime(started), [], e.Message, [], Apps());
            run.Report(name, ProgressStatus.Unchanged, $"{name} skipped: {e.Message}");
        }
        catch (VerifyStageFailedException e)
        {
            result = new VerifyStageResult(name, VerifyStageStatus.Failed, time.GetElapsedTime(started), e.Checks, e.Message, e.Logs, Apps());
            run.Report(name, ProgressStatus.Failed, $"{name} failed: {e.Message}");
        }
        catch (KindlingException e) when (e is not InvalidInputException)
        {
            // An API error, a missing notebook, a refused submission: the stage failed, and the message says why.
            result = new VerifyStageResult(name, VerifyStageStatus.Failed, time.GetElapsedTime(started), [], e.Message, [], Apps());
            run.Report(name, ProgressStatus.Failed, $"{name} failed: {e.Message}");
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            stages.Add(new VerifyStageResult(name, VerifyStageStatus.Failed, time.GetElapsedTime(started), [], "interrupted", [], Apps()));
            throw;
        }
        stages.Add(result);
        return result;
    }
}
