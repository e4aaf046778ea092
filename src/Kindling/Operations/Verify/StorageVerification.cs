using System.Globalization;
using Amazon.S3;
using Amazon.S3.Model;
using Kindling.Configuration;
using Kindling.Operations.Spark;
using Kindling.Spark;
using Kindling.Spark.Verify;

namespace Kindling.Operations.Verify;

/// <summary>
/// Stage 3: a job writes a small Parquet dataset to <c>s3a://&lt;bucket&gt;/kindling-verify/&lt;run id&gt;/</c> with the
/// Spark pods' own credentials (the IRSA role on Kindling's EKS), reads it back and checks the row count, then
/// deletes it unless <c>--keep</c>. This machine then lists the prefix to confirm what the job said.
/// </summary>
internal static class StorageVerification
{
    public const string Name = "storage";

    /// <summary>The bucket the stage writes to: the first of <c>aws.s3Buckets</c>, else the <c>spark.fileUploadPath</c> bucket; null when none is configured.</summary>
    public static string? Bucket(EnvironmentSpec spec) =>
        spec.Aws.S3Buckets.FirstOrDefault() ?? (spec.Spark.FileUploadPath is { } upload ? S3Buckets.OfS3aUri(upload) : null);

    public const string NoStorage = "no object storage is configured: add a bucket to aws.s3Buckets in kindling.yaml (and run 'kindling infra apply' and 'kindling up') to check S3";

    public static async Task<IReadOnlyList<string>> RunAsync(VerifyRun run, CancellationToken cancellationToken)
    {
        var bucket = Bucket(run.Environment.Spec) ?? throw new VerifyStageSkippedException(NoStorage);
        var prefix = $"kindling-verify/{run.RunId}/";
        var location = $"s3a://{bucket}/{prefix}parquet";
        var program = VerifyJobs.WriteProgram(run, "kindling_verify_parquet.py", VerifyPrograms.ParquetPython);
        var rows = VerifyPrograms.ParquetRows.ToString(CultureInfo.InvariantCulture);
        var job = await VerifyJobs.RunAsync(run, "parquet",
            new SparkApplicationSpec { Resource = program, Arguments = [location, rows, run.Options.Keep ? "keep" : "delete"] }, cancellationToken).ConfigureAwait(false);

        var denied = job.DriverLog.FirstOrDefault(l => l.Contains("AccessDenied", StringComparison.Ordinal) || l.Contains("403 Forbidden", StringComparison.Ordinal)
                                                       || l.Contains("Status Code: 403", StringComparison.Ordinal));
        if (job.Final.State != SparkApplicationState.Succeeded && denied is not null)
            throw new VerifyStageFailedException(
                $"S3 denied the Spark pods access to {location} ({job.Submitted.AppId} ended {job.Final.State}): the pods' role must be allowed this bucket; " +
                $"keep '{bucket}' in aws.s3Buckets, run 'kindling infra apply' then 'kindling up', and check the ServiceAccount's eks.amazonaws.com/role-arn ('kindling doctor')",
                job.Tail);
        VerifyJobs.RequireSucceeded(job);
        var read = VerifyPrograms.Reported(job.DriverLog, "rows");
        if (read != rows)
            throw new VerifyStageFailedException(read is null
                ? $"{job.Submitted.AppId} exited 0 but did not report the rows it read back"
                : $"{job.Submitted.AppId} wrote {rows} rows to {location} and read {read} back", job.Tail);
        var checks = new List<string> { $"{job.Submitted.AppId} wrote {rows} rows as Parquet to {location} with the pods' credentials and read {rows} back" };
        if (!run.Options.Keep && VerifyPrograms.Reported(job.DriverLog, "deleted") != "true")
            throw new VerifyStageFailedException($"{job.Submitted.AppId} did not delete {location}", job.Tail);

        checks.Add(await ListedAsync(run, bucket, prefix, location, cancellationToken).ConfigureAwait(false));
        return checks;
    }

    /// <summary>Lists the run's prefix from this machine: files there with <c>--keep</c>, none without.</summary>
    private static async Task<string> ListedAsync(VerifyRun run, string bucket, string prefix, string location, CancellationToken cancellationToken)
    {
        IReadOnlyList<string> keys;
        try
        {
            using var s3 = SparkEnvironment.ClientOptions(run.Environment).S3Client!.Invoke();
            var listed = await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket, Prefix = prefix }, cancellationToken).ConfigureAwait(false);
            keys = [.. (listed.S3Objects ?? []).Select(o => o.Key)];
        }
        catch (Exception e) when (e is AmazonS3Exception or Amazon.Runtime.AmazonClientException)
        {
            // The pods' role is what the stage proves; this machine's own S3 access is not required by Kindling.
            return $"not listed from this machine ({(e is AmazonS3Exception s ? s.ErrorCode : "no AWS credentials")}); the job's own report stands";
        }
        if (run.Options.Keep)
        {
            var parquet = keys.Count(k => k.EndsWith(".parquet", StringComparison.Ordinal));
            if (parquet == 0) throw new VerifyStageFailedException($"the job reported success, but s3://{bucket}/{prefix} holds no .parquet file ({keys.Count} objects)");
            return $"kept: {parquet} Parquet files under s3://{bucket}/{prefix} (--keep)";
        }
        if (keys.Count > 0)
            throw new VerifyStageFailedException($"{keys.Count} objects remain under s3://{bucket}/{prefix} after the job deleted {location}: {string.Join(", ", keys.Take(5))}");
        return $"deleted: nothing remains under s3://{bucket}/{prefix}";
    }
}
