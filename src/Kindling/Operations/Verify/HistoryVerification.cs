using Kindling.Configuration;
using Kindling.Operations.Spark;

namespace Kindling.Operations.Verify;

/// <summary>
/// Stage 4: the run's applications appear in the History Server as completed, and the PySpark Pi's driver log is
/// still readable from its archive (<c>spark.driver.log.dfsDir</c>) once its driver pod is deleted.
/// </summary>
internal static class HistoryVerification
{
    public const string Name = "history";

    public static async Task<IReadOnlyList<string>> RunAsync(VerifyRun run, CancellationToken cancellationToken)
    {
        if (HistoryLocations.WhyOff(run.Environment.Spec) is { } off) throw new VerifyStageSkippedException(off);
        List<string> expected;
        lock (run.Applications) expected = [.. run.Applications];
        if (expected.Count == 0) throw new VerifyStageFailedException("no application of this run got far enough to be looked up in the History Server");

        var missing = expected;
        var incomplete = new List<string>();
        var listed = await run.WaitUntilAsync(async ct =>
        {
            var stillMissing = new List<string>();
            incomplete.Clear();
            foreach (var appId in expected)
            {
                var app = await run.Apps.GetFinishedAsync(appId, ct).ConfigureAwait(false);
                if (app is null) stillMissing.Add(appId);
                else if (app.Latest is not { Completed: true }) incomplete.Add(appId);
            }
            missing = stillMissing;
            return missing.Count == 0 && incomplete.Count == 0;
        }, run.Options.HistoryTimeout, cancellationToken).ConfigureAwait(false);
        if (!listed)
        {
            var parts = new List<string>();
            if (missing.Count > 0) parts.Add($"does not list {string.Join(", ", missing)}");
            if (incomplete.Count > 0) parts.Add($"lists {string.Join(", ", incomplete)} as incomplete (the driver did not record its end)");
            throw new VerifyStageFailedException(
                $"after {VerifyRun.Seconds(run.Options.HistoryTimeout)} the History Server {string.Join(" and ", parts)}: check that the drivers write event logs to " +
                $"{HistoryLocations.Of(run.Environment.Spec)!.EventLogDir} ('kindling logs <app>' shows 'Logging events to') and that the History Server reads it ('kindling status')");
        }
        var checks = new List<string> { $"the History Server lists {expected.Count} applications of this run as completed: {string.Join(", ", expected)}" };

        if (!run.Submitted.TryGetValue("pi-python", out var python)) return checks;
        // The driver pod is deleted first, so the log can only come from the archive.
        try
        {
            await run.Apps.KillAsync(python.AppId, cancellationToken).ConfigureAwait(false);
        }
        catch (InvalidInputException)
        {
            // Its pods are already gone: the log can only come from the archive, which is the point.
        }
        SparkLogSource? source = null;
        var lines = new List<string>();
        try
        {
            await foreach (var line in run.Apps.GetLogsOrArchiveAsync(python.AppId, new SparkLogOptions(), s => source = s, cancellationToken).ConfigureAwait(false))
                lines.Add(line);
        }
        catch (InvalidInputException e)
        {
            throw new VerifyStageFailedException($"the driver log of {python.AppId} is not readable after its pod was deleted: {e.Errors[0].Message}");
        }
        if (source is not { Archived: true })
            throw new VerifyStageFailedException($"the driver log of {python.AppId} came from {source?.Location ?? "nowhere"}, not the archive, after its pod was deleted");
        var name = run.AppName("pi-python");
        // SparkContext logs "Submitted application: <name>" through log4j, which DriverLogger persists (print() output is stdout, not log4j).
        if (!lines.Any(l => l.Contains($"Submitted application: {name}", StringComparison.Ordinal)))
            throw new VerifyStageFailedException($"the archived driver log {source.Location} does not belong to {name} ({lines.Count} lines, no 'Submitted application: {name}')",
                [.. lines.TakeLast(VerifyRun.LogTail)]);
        checks.Add($"the driver log of {python.AppId} ({lines.Count} lines) is readable from {source.Location} after its pod was deleted");
        return checks;
    }
}
