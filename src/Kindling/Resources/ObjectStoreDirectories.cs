using System.Text;
using Kindling.Configuration;

namespace Kindling.Resources;

/// <summary>
/// The buckets and S3A directory markers the store must hold before Spark uses it, and the shell script that makes
/// them. Spark refuses a missing event-log or driver-log directory (see <c>Operations/HistoryStorage</c>), and on S3 a
/// prefix with no object under it does not exist for S3A, so an empty <c>prefix/</c> object is written; SeaweedFS keeps
/// it as a directory key object that listings return (weed/s3api/s3api_object_handlers_list.go,
/// <c>IsDirectoryKeyObject</c>). The script runs as the store container's <c>postStart</c> hook with the image's
/// <c>curl</c> (SigV4 with <c>--aws-sigv4</c>): the pod is not Ready, and so not behind its Service, before the
/// hook has finished, so whatever reaches the store through the Service finds the directories in place, after a
/// first start, a restart on an emptied volume, or a plain <c>kubectl apply</c> of the rendered files.
/// </summary>
internal static class ObjectStoreDirectories
{
    /// <summary>How long the hook waits for the store to answer and for each write to succeed, in seconds.</summary>
    public const int WaitSeconds = 120;

    /// <summary><c>storage.bucket</c> plus the buckets of the history directories and of <c>spark.fileUploadPath</c>, ordinal-sorted.</summary>
    public static IReadOnlyList<string> Buckets(EnvironmentSpec spec)
    {
        var buckets = new SortedSet<string>(StringComparer.Ordinal) { spec.Storage.Bucket };
        IEnumerable<string> locations = [.. HistoryLocations.Of(spec)?.Directories ?? [], .. spec.Spark.FileUploadPath is { } upload ? [upload] : (string[])[]];
        foreach (var location in locations) if (S3Buckets.OfS3aUri(location) is { } bucket) buckets.Add(bucket);
        return [.. buckets];
    }

    /// <summary>The directory markers, as <c>bucket/prefix/</c> paths: the event-log and driver-log directories.</summary>
    public static IReadOnlyList<string> Markers(EnvironmentSpec spec) =>
        (HistoryLocations.Of(spec)?.Directories ?? [])
        .Select(d => S3Buckets.OfS3aUri(d) is { } bucket ? $"{bucket}/{d["s3a://".Length..][(bucket.Length + 1)..].Trim('/')}/" : null)
        .OfType<string>()
        .Distinct(StringComparer.Ordinal)
        .ToList();

    /// <summary>
    /// The POSIX sh script creating <see cref="Buckets"/> then <see cref="Markers"/> on <paramref name="endpoint"/>,
    /// each only when a HEAD does not find it, so re-running it changes nothing. Credentials come from the
    /// container's <c>AWS_ACCESS_KEY_ID</c>/<c>AWS_SECRET_ACCESS_KEY</c>.
    /// </summary>
    public static string Script(EnvironmentSpec spec, string endpoint)
    {
        ArgumentNullException.ThrowIfNull(spec);
        var sb = new StringBuilder();
        sb.Append("set -u\n");
        sb.Append("e=").Append(Quote(endpoint.TrimEnd('/'))).Append('\n');
        sb.Append("s3() { curl -sf -o /dev/null --aws-sigv4 'aws:amz:").Append(Kindling.Spark.LocalObjectStoreConf.Region)
          .Append(":s3' --user \"$AWS_ACCESS_KEY_ID:$AWS_SECRET_ACCESS_KEY\" \"$@\"; }\n");
        // Any HTTP answer (no -f) means the gateway listens; a refused connection does not.
        sb.Append("n=0; until curl -s -o /dev/null \"$e/\"; do n=$((n+1)); if [ \"$n\" -ge ").Append(WaitSeconds)
          .Append(" ]; then echo \"the S3 gateway did not answer on $e\" >&2; exit 1; fi; sleep 1; done\n");
        // The gateway may answer before the filer behind it takes writes: each item is retried.
        sb.Append("ensure() { n=0; until s3 -I \"$e/$1\" || s3 -X PUT --data-binary '' -H 'Content-Type: application/x-directory' \"$e/$1\"; do n=$((n+1)); ")
          .Append("if [ \"$n\" -ge ").Append(WaitSeconds).Append(" ]; then echo \"could not create $1\" >&2; return 1; fi; sleep 1; done; }\n");
        foreach (var item in Buckets(spec).Concat(Markers(spec)))
            sb.Append("ensure ").Append(Quote(EscapePath(item))).Append(" || exit 1\n");
        return sb.ToString();
    }

    // Each segment percent-encoded as SigV4's canonical URI expects (curl signs the path as written).
    private static string EscapePath(string path) =>
        string.Join('/', path.Split('/').Select(Uri.EscapeDataString));

    private static string Quote(string value) => "'" + value.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
