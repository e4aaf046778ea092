namespace Kindling.Spark;

/// <summary>How an application resource reaches the driver.</summary>
public enum SparkResourceKind
{
    /// <summary>A file on the submitting machine; Kindling ships it (ConfigMap or upload).</summary>
    LocalFile,

    /// <summary>A URI the driver resolves itself (<c>local://</c>, <c>s3a://</c>, <c>https://</c>, ...).</summary>
    Remote,
}

/// <summary>Classifies resource strings the way spark-submit does (<c>KubernetesUtils.isLocalAndResolvable</c>).</summary>
public static class SparkResource
{
    /// <summary>
    /// A path with no scheme, or a <c>file:</c> URI, is on the submitting machine; anything with another
    /// scheme is read by the driver. A Windows drive letter (<c>C:\</c>) is a path, not a scheme.
    /// </summary>
    public static SparkResourceKind Classify(string resource)
    {
        if (resource.StartsWith("file:", StringComparison.OrdinalIgnoreCase)) return SparkResourceKind.LocalFile;
        var colon = resource.IndexOf(':');
        if (colon <= 1) return SparkResourceKind.LocalFile;
        var scheme = resource[..colon];
        return scheme.All(c => char.IsAsciiLetterOrDigit(c) || c is '+' or '-' or '.') && char.IsAsciiLetter(scheme[0])
            ? SparkResourceKind.Remote
            : SparkResourceKind.LocalFile;
    }

    /// <summary>The local path of a <see cref="SparkResourceKind.LocalFile"/> resource (strips <c>file://</c>).</summary>
    public static string LocalPath(string resource) =>
        resource.StartsWith("file:", StringComparison.OrdinalIgnoreCase) ? new Uri(resource).LocalPath : resource;

    /// <summary>The last path segment, without query or fragment.</summary>
    public static string FileName(string resource)
    {
        var end = resource.IndexOfAny(['?', '#']);
        var path = end < 0 ? resource : resource[..end];
        var slash = path.LastIndexOfAny(['/', '\\']);
        return slash < 0 ? path : path[(slash + 1)..];
    }
}
