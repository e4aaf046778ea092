using Amazon.Runtime;
using Amazon.S3;
using Amazon.S3.Model;

namespace Kindling.Operations.Spark;

/// <summary>Uploads application files to S3 (or an S3-compatible endpoint such as moto or LocalStack).</summary>
internal static class S3Uploader
{
    /// <summary>
    /// A client for <paramref name="endpoint"/> (<c>aws.endpoint</c>; null for real AWS) in
    /// <paramref name="region"/>. Emulators need path-style addressing: they do not serve bucket subdomains.
    /// </summary>
    public static IAmazonS3 CreateClient(string region, string? endpoint, AWSCredentials? credentials = null)
    {
        var config = new AmazonS3Config { RegionEndpoint = Amazon.RegionEndpoint.GetBySystemName(region) };
        if (endpoint is not null)
        {
            config.ServiceURL = endpoint;
            config.ForcePathStyle = true;
            config.AuthenticationRegion = region;
        }
        // Without explicit credentials the SDK's default chain applies (environment, profile, IRSA web identity).
        return credentials is null ? new AmazonS3Client(config) : new AmazonS3Client(credentials, config);
    }

    public static async Task UploadAsync(IAmazonS3 s3, IReadOnlyList<PendingUpload> uploads, IProgress<ProgressEvent> progress, CancellationToken cancellationToken)
    {
        foreach (var upload in uploads)
        {
            progress.Report(new ProgressEvent(upload.Uri, ProgressStatus.Started, $"uploading {upload.LocalPath}"));
            try
            {
                await s3.PutObjectAsync(new PutObjectRequest { BucketName = upload.Bucket, Key = upload.Key, FilePath = upload.LocalPath }, cancellationToken)
                    .ConfigureAwait(false);
            }
            catch (Exception e) when (e is AmazonServiceException or AmazonClientException)
            {
                throw new KindlingException($"uploading {upload.LocalPath} to {upload.Uri} failed: {e.Message}", e);
            }
            progress.Report(new ProgressEvent(upload.Uri, ProgressStatus.Done, $"uploaded {new FileInfo(upload.LocalPath).Length / 1024} KiB"));
        }
    }
}
