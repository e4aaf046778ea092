using System.Net;
using System.Text.RegularExpressions;

namespace Kindling.Configuration;

/// <summary>S3 bucket names: the rules AWS applies to new general-purpose buckets, and the buckets Spark pods are granted.</summary>
public static partial class S3Buckets
{
    /// <summary>
    /// Every bucket the Spark IRSA role may use: <c>aws.s3Buckets</c> plus the bucket of <c>spark.fileUploadPath</c>,
    /// ordinal-sorted and distinct so the Terraform module is deterministic.
    /// </summary>
    public static IReadOnlyList<string> Granted(EnvironmentSpec spec)
    {
        var buckets = new SortedSet<string>(spec.Aws.S3Buckets, StringComparer.Ordinal);
        if (spec.Spark.FileUploadPath is { } upload && OfS3aUri(upload) is { } bucket) buckets.Add(bucket);
        foreach (var location in HistoryLocations.Of(spec)?.Directories ?? []) if (OfS3aUri(location) is { } logBucket) buckets.Add(logBucket);
        return [.. buckets];
    }

    /// <summary>The bucket of an <c>s3a://bucket/key</c> location, or null when it is not one.</summary>
    public static string? OfS3aUri(string location)
    {
        const string scheme = "s3a://";
        if (!location.StartsWith(scheme, StringComparison.Ordinal)) return null;
        var rest = location[scheme.Length..];
        var slash = rest.IndexOf('/');
        var bucket = slash < 0 ? rest : rest[..slash];
        return bucket.Length == 0 ? null : bucket;
    }

    /// <summary>Why <paramref name="name"/> is not a valid bucket name, or null when it is.</summary>
    public static string? Problem(string name)
    {
        if (name.Length is < 3 or > 63) return $"'{name}' is not an S3 bucket name: it must be 3 to 63 characters long";
        if (!NameRegex().IsMatch(name))
            return $"'{name}' is not an S3 bucket name: use lowercase letters, digits, '.' and '-', starting and ending with a letter or digit (a bucket name, not an s3:// URL)";
        if (name.Contains("..", StringComparison.Ordinal)) return $"'{name}' is not an S3 bucket name: it must not contain two adjacent periods";
        if (IPAddress.TryParse(name, out var ip) && ip.AddressFamily == System.Net.Sockets.AddressFamily.InterNetwork && name.Count(c => c == '.') == 3)
            return $"'{name}' is not an S3 bucket name: it must not look like an IP address";
        foreach (var prefix in ReservedPrefixes)
            if (name.StartsWith(prefix, StringComparison.Ordinal)) return $"'{name}' is not an S3 bucket name: the prefix '{prefix}' is reserved by AWS";
        foreach (var suffix in ReservedSuffixes)
            if (name.EndsWith(suffix, StringComparison.Ordinal)) return $"'{name}' is not an S3 bucket name: the suffix '{suffix}' is reserved by AWS";
        return null;
    }

    private static readonly string[] ReservedPrefixes = ["xn--", "sthree-", "amzn-s3-demo-"];

    private static readonly string[] ReservedSuffixes = ["-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3"];

    [GeneratedRegex("^[a-z0-9][a-z0-9.-]*[a-z0-9]$")]
    private static partial Regex NameRegex();
}
