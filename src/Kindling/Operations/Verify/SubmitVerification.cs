using System.Globalization;
using Kindling.Spark;
using Kindling.Spark.Verify;

namespace Kindling.Operations.Verify;

/// <summary>
/// Stage 2: a PySpark Pi shipped from this machine (PythonRunner, the file in the driver's ConfigMap) and Spark's
/// JVM SparkPi from the image's examples jar (<c>spark.jars</c>), both in cluster mode through <c>submit --wait</c>:
/// each must exit 0 and print an estimate within the tolerance in its driver log.
/// </summary>
internal static class SubmitVerification
{
    public const string Name = "submit";

    public static async Task<IReadOnlyList<string>> RunAsync(VerifyRun run, CancellationToken cancellationToken)
    {
        var program = VerifyJobs.WriteProgram(run, "kindling_verify_pi.py", VerifyPrograms.PiPython);
        var (mainClass, jar) = VerifyPrograms.SparkPi(run.Environment.Spec.Spark);
        var partitions = VerifyPrograms.Partitions.ToString(CultureInfo.InvariantCulture);
        // Both at once: they are independent, and the cluster runs them side by side as it would any two jobs.
        var python = VerifyJobs.RunAsync(run, "pi-python", new SparkApplicationSpec { Resource = program, Arguments = [partitions] }, cancellationToken);
        var jvm = VerifyJobs.RunAsync(run, "pi-jvm", new SparkApplicationSpec { Resource = jar, MainClass = mainClass, Arguments = [partitions] }, cancellationToken);
        try
        {
            await Task.WhenAll(python, jvm).ConfigureAwait(false);
        }
        catch (KindlingException) when (!cancellationToken.IsCancellationRequested)
        {
            // Both are judged below, so a failure of one does not hide the other's.
        }
        var checks = new List<string>();
        var failures = new List<VerifyStageFailedException>();
        foreach (var (job, what) in new[] { (python, "PySpark Pi shipped from this machine"), (jvm, $"SparkPi from {jar}") })
        {
            try
            {
                checks.Add(Check(await job.ConfigureAwait(false), what));
            }
            catch (VerifyStageFailedException e)
            {
                failures.Add(e);
            }
            catch (KindlingException e) when (e is not InvalidInputException)
            {
                failures.Add(new VerifyStageFailedException($"{what}: {e.Message}"));
            }
        }
        if (failures.Count > 0)
            throw new VerifyStageFailedException(string.Join("; and ", failures.Select(f => f.Message)), [.. failures.SelectMany(f => f.Logs)], checks);
        return checks;
    }

    private static string Check(FinishedJob job, string what)
    {
        VerifyJobs.RequireSucceeded(job);
        var pi = VerifyPrograms.PiFromLog(job.DriverLog)
            ?? throw new VerifyStageFailedException($"{job.Submitted.AppId} ({what}) exited 0 but its driver log has no 'Pi is roughly' line", job.Tail);
        if (Math.Abs(pi - Math.PI) > VerifyPrograms.PiTolerance)
            throw new VerifyStageFailedException($"{job.Submitted.AppId} ({what}) printed π ≈ {pi.ToString(CultureInfo.InvariantCulture)}, more than {VerifyPrograms.PiTolerance.ToString(CultureInfo.InvariantCulture)} from π", job.Tail);
        return $"{what}: {job.Submitted.AppId} exited 0 and printed π ≈ {pi.ToString("0.#####", CultureInfo.InvariantCulture)}";
    }
}
