using Kindling.Spark;

namespace Kindling.Operations.Spark;

/// <summary>A local file to upload to <c>spark.kubernetes.file.upload.path</c> before the driver starts.</summary>
/// <param name="LocalPath">The file on this machine.</param>
/// <param name="Bucket">The S3 bucket.</param>
/// <param name="Key">The object key.</param>
/// <param name="Uri">The <c>s3a://</c> URI the driver reads.</param>
public sealed record PendingUpload(string LocalPath, string Bucket, string Key, string Uri);

/// <summary>How the application's files reach the driver.</summary>
/// <param name="Sources">The resources as the driver sees them.</param>
/// <param name="Uploads">Files to upload first; empty when nothing goes through the object store.</param>
public sealed record SparkFileShipping(SparkAppSources Sources, IReadOnlyList<PendingUpload> Uploads)
{
    /// <summary>
    /// Decides how local files travel, reading them but uploading nothing. Local files totalling under
    /// <see cref="SparkAppSources.ConfigMapLimitBytes"/> go in a ConfigMap (no object store needed); larger
    /// sets are uploaded to <c>&lt;uploadPath&gt;/spark-upload-&lt;uuid&gt;/&lt;file&gt;</c>, Spark's own layout.
    /// </summary>
    /// <exception cref="InvalidInputException">A file is missing, two share a name, or a large set has no upload path.</exception>
    public static SparkFileShipping Plan(SparkApplicationSpec spec, SparkIds ids, string? uploadPath, Func<string, string> resolvePath)
    {
        var errors = new List<InputError>();
        var local = new List<(string Path, string Argument, bool Main)>();
        void Consider(string resource, string argument, bool main)
        {
            if (SparkResource.Classify(resource) != SparkResourceKind.LocalFile) return;
            var path = resolvePath(SparkResource.LocalPath(resource));
            if (!File.Exists(path)) errors.Add(new InputError(null, argument, $"{path} does not exist"));
            else local.Add((path, argument, main));
        }
        Consider(spec.Resource, "resource", main: true);
        foreach (var pyFile in spec.PyFiles) Consider(pyFile, "--py-files", main: false);

        foreach (var duplicate in local.GroupBy(f => Path.GetFileName(f.Path), StringComparer.Ordinal).Where(g => g.Count() > 1))
            errors.Add(new InputError(null, duplicate.First().Argument,
                $"{string.Join(" and ", duplicate.Select(d => d.Path))} share the file name {duplicate.Key}; rename one"));
        if (errors.Count > 0) throw new InvalidInputException(errors);
        if (local.Count == 0) return new SparkFileShipping(SparkAppSources.AsGiven(spec), []);

        var total = local.Sum(f => new FileInfo(f.Path).Length);
        if (total < SparkAppSources.ConfigMapLimitBytes) return ViaConfigMap(spec, local);

        if (string.IsNullOrWhiteSpace(uploadPath))
            throw new InvalidInputException(local[0].Argument,
                $"the local files total {total / 1024} KiB, too large for a ConfigMap (limit {SparkAppSources.ConfigMapLimitBytes / 1024} KiB); " +
                "set spark.fileUploadPath in kindling.yaml to an s3a:// location, or pass an s3a:// or local:// URI");
        return ViaUpload(spec, local.Select(l => l.Path).ToHashSet(), ids, uploadPath);
    }

    private static SparkFileShipping ViaConfigMap(SparkApplicationSpec spec, List<(string Path, string Argument, bool Main)> local)
    {
        ShippedFile Read(string path) => new(Path.GetFileName(path), File.ReadAllBytes(path));
        var byPath = local.ToDictionary(l => l.Path, l => Read(l.Path), StringComparer.Ordinal);
        string Uri(string resource, bool main)
        {
            if (SparkResource.Classify(resource) != SparkResourceKind.LocalFile) return resource;
            var name = Path.GetFileName(SparkResource.LocalPath(resource));
            // The main resource runs on the driver only; dependencies are served to executors by the driver's
            // file server, which requires a file:// path (executors do not mount the ConfigMap).
            return main ? $"local://{SparkConventions.ShippedFilesDir}/{name}" : $"file://{SparkConventions.ShippedFilesDir}/{name}";
        }
        var sources = new SparkAppSources(
            Uri(spec.Resource, main: true),
            spec.PyFiles.Select(p => Uri(p, main: false)).ToList(),
            byPath.Values.OrderBy(f => f.Name, StringComparer.Ordinal).ToList());
        return new SparkFileShipping(sources, []);
    }

    private static SparkFileShipping ViaUpload(SparkApplicationSpec spec, IReadOnlySet<string> localPaths, SparkIds ids, string uploadPath)
    {
        if (!uploadPath.StartsWith("s3a://", StringComparison.Ordinal) && !uploadPath.StartsWith("s3://", StringComparison.Ordinal))
            throw new InvalidInputException("spark.fileUploadPath", $"'{uploadPath}' is not an s3a:// location");
        var rest = uploadPath[(uploadPath.IndexOf("://", StringComparison.Ordinal) + 3)..].TrimEnd('/');
        var slash = rest.IndexOf('/');
        var bucket = slash < 0 ? rest : rest[..slash];
        var prefix = slash < 0 ? "" : rest[(slash + 1)..] + "/";
        var uploads = new List<PendingUpload>();
        string Uri(string resource)
        {
            if (SparkResource.Classify(resource) != SparkResourceKind.LocalFile) return resource;
            var path = localPaths.First(p => Path.GetFileName(p) == Path.GetFileName(SparkResource.LocalPath(resource)));
            var key = $"{prefix}spark-upload-{ids.UploadId}/{Path.GetFileName(path)}";
            var uri = $"s3a://{bucket}/{key}";
            uploads.Add(new PendingUpload(path, bucket, key, uri));
            return uri;
        }
        var sources = new SparkAppSources(Uri(spec.Resource), spec.PyFiles.Select(Uri).ToList(), []);
        return new SparkFileShipping(sources, uploads);
    }
}
