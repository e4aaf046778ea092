using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;
using Kindling.Configuration;
using Kindling.Operations.Spark;

namespace Kindling.Operations;

/// <summary>
/// Makes the event-log and driver-log directories exist before anything uses them. Spark refuses a missing one:
/// <c>EventLogFileWriter.requireLogBaseDirAsDirectory</c> fails the SparkContext on a missing <c>spark.eventLog.dir</c>,
/// DriverLogger's writer throws "... does not exist. Please create this dir", and <c>FsHistoryProvider</c> stops the
/// History Server with "Log directory specified does not exist". On S3 a prefix with no object under it does not
/// exist for S3A, so an empty <c>prefix/</c> object (S3A's own directory marker) is written when nothing is there.
/// </summary>
public static class HistoryStorage
{
    /// <summary>One line saying whether history is on, and where, or why it is off and how to turn it on.</summary>
    public static string Describe(EnvironmentSpec spec) =>
        HistoryLocations.Of(spec) is { } h ? $"event logs {h.EventLogDir}, driver logs {h.DriverLogDir}" : HistoryLocations.WhyOff(spec)!;

    /// <summary>
    /// Creates the missing directory markers. Never fails the caller: without AWS access from this machine it reports
    /// the command that creates them, because the cluster side may still have access through IRSA.
    /// </summary>
    public static async Task EnsureDirectoriesAsync(EnvironmentSpec spec, AWSCredentials? credentials, IProgress<ProgressEvent> progress, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(spec);
        ArgumentNullException.ThrowIfNull(progress);
        if (HistoryLocations.Of(spec) is not { } history)
        {
            progress.Report(new ProgressEvent("history", ProgressStatus.Info, HistoryLocations.WhyOff(spec)!));
            return;
        }
        if (spec.Storage.Local)
        {
            // The in-cluster store is not reachable from here; its pod creates the directories before it is Ready.
            progress.Report(new ProgressEvent("history", ProgressStatus.Info,
                $"event logs {history.EventLogDir}, driver logs {history.DriverLogDir} in the in-cluster object store, which creates them when it starts"));
            return;
        }
        using var s3 = S3Uploader.CreateClient(spec.Aws.Region, spec.Aws.Endpoint, credentials);
        foreach (var directory in history.Directories)
        {
            var bucket = S3Buckets.OfS3aUri(directory)!;
            var prefix = directory["s3a://".Length..][(bucket.Length + 1)..].Trim('/') + "/";
            try
            {
                var listed = await s3.ListObjectsV2Async(new ListObjectsV2Request { BucketName = bucket, Prefix = prefix, MaxKeys = 1 }, cancellationToken).ConfigureAwait(false);
                if (listed.KeyCount is > 0)
                {
                    progress.Report(new ProgressEvent(directory, ProgressStatus.Unchanged, "exists"));
                    continue;
                }
                await s3.PutObjectAsync(new PutObjectRequest { BucketName = bucket, Key = prefix, ContentBody = "" }, cancellationToken).ConfigureAwait(false);
                progress.Report(new ProgressEvent(directory, ProgressStatus.Changed, "created (S3A directory marker)"));
            }
            catch (AmazonServiceException e)
            {
                progress.Report(new ProgressEvent(directory, ProgressStatus.Info,
                    $"could not check or create it ({e.ErrorCode ?? e.Message}); Spark needs it to exist: aws s3api put-object --bucket {bucket} --key {prefix}"));
            }
            catch (AmazonClientException e)
            {
                progress.Report(new ProgressEvent(directory, ProgressStatus.Info,
                    $"could not reach S3 ({e.Message}); Spark needs it to exist: aws s3api put-object --bucket {bucket} --key {prefix}"));
            }
        }
    }
}
