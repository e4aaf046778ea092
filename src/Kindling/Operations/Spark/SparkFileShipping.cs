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
    private enum Role { Main, Jar, File, Archive, PyFile }

    private sealed record Entry(string Given, string Flag, Role Role, string? LocalPath, string? Fragment);

    /// <summary>
    /// Decides how local files travel, reading them but uploading nothing. The primary resource and every
    /// local entry of <c>--jars</c>, <c>--files</c>, <c>--archives</c> and <c>--py-files</c> are shipped the same
    /// way: under <see cref="SparkAppSources.ConfigMapLimitBytes"/> in total they go in a ConfigMap (no object
    /// store needed); larger sets are uploaded, each file to its own <c>&lt;uploadPath&gt;/spark-upload-&lt;uuid&gt;/&lt;file&gt;</c>
    /// as Spark's <c>KubernetesUtils.uploadFileUri</c> does.
    /// </summary>
    /// <exception cref="InvalidInputException">A file is missing, two share a name, a list is invalid, or a large set has no upload path.</exception>
    public static SparkFileShipping Plan(SparkApplicationSpec spec, SparkIds ids, string? uploadPath, Func<string, string> resolvePath)
    {
        // The lists' own problems (bad coordinates, a jar in --py-files ...) are reported by spec.Validate().
        var (deps, _) = SparkDependencies.Of(spec);
        var errors = new List<InputError>();
        var entries = new List<Entry>();
        void Consider(string given, string flag, Role role, string? fragment)
        {
            if (SparkResource.Classify(given) != SparkResourceKind.LocalFile)
            {
                entries.Add(new Entry(given, flag, role, null, fragment));
                return;
            }
            var path = resolvePath(SparkResource.LocalPath(given));
            if (Directory.Exists(path)) errors.Add(new InputError(null, flag, $"{path} is a directory; pack it first (e.g. zip -r deps.zip {Path.GetFileName(path)})"));
            // Empty, a FIFO (whose read would block forever), unreadable: refused before anything is read or sent.
            else if (InputFile.Problem(path, path, "an application", long.MaxValue) is { } problem) errors.Add(new InputError(null, flag, problem));
            else entries.Add(new Entry(given, flag, role, path, fragment));
        }
        Consider(spec.Resource, "resource", Role.Main, null);
        foreach (var j in deps.Jars) Consider(j.Uri, j.Flag, Role.Jar, null);
        foreach (var f in deps.Files) Consider(f.Uri, f.Flag, Role.File, null);
        foreach (var a in deps.Archives) Consider(a.WithoutFragment, a.Flag, Role.Archive, a.Fragment);
        foreach (var p in deps.PyFiles) Consider(p.Uri, p.Flag, Role.PyFile, null);

        // One shipped directory: two different files with one name would overwrite each other on the driver
        // (and in its working directory, where spark-submit copies every dependency).
        var local = entries.Where(e => e.LocalPath is not null).ToList();
        foreach (var duplicate in local.DistinctBy(e => e.LocalPath).GroupBy(e => Path.GetFileName(e.LocalPath!), StringComparer.Ordinal).Where(g => g.Count() > 1))
            errors.Add(new InputError(null, duplicate.Last().Flag,
                $"{string.Join(" and ", duplicate.Select(d => d.LocalPath))} share the file name {duplicate.Key}; rename one"));
        if (errors.Count > 0) throw new InvalidInputException(errors);

        var distinctPaths = local.Select(e => e.LocalPath!).Distinct(StringComparer.Ordinal).ToList();
        var total = distinctPaths.Sum(p => new FileInfo(p).Length);
        Func<Entry, string> uriOf;
        var uploads = new List<PendingUpload>();
        var shipped = new List<ShippedFile>();
        if (distinctPaths.Count == 0 || total < SparkAppSources.ConfigMapLimitBytes)
        {
            shipped.AddRange(distinctPaths.Select(p => new ShippedFile(Path.GetFileName(p), ReadLocal(p, local.First(e => e.LocalPath == p).Flag)))
                .OrderBy(f => f.Name, StringComparer.Ordinal));
            uriOf = e => e.Role == Role.Main && spec.IsPython
                ? SparkAppSources.ShippedMain(Path.GetFileName(e.LocalPath!))
                : SparkAppSources.ShippedDependency(Path.GetFileName(e.LocalPath!));
        }
        else
        {
            if (string.IsNullOrWhiteSpace(uploadPath))
                throw new InvalidInputException(local[0].Flag,
                    $"the local files total {total / 1024} KiB, too large for a ConfigMap (limit {SparkAppSources.ConfigMapLimitBytes / 1024} KiB); " +
                    "set spark.fileUploadPath in kindling.yaml to an s3a:// location, or pass s3a:// or local:// URIs");
            var (bucket, prefix) = ParseUploadPath(uploadPath);
            var byPath = new Dictionary<string, string>(StringComparer.Ordinal);
            for (var i = 0; i < distinctPaths.Count; i++)
            {
                var path = distinctPaths[i];
                var key = $"{prefix}spark-upload-{ids.UploadDir(i)}/{Path.GetFileName(path)}";
                var uri = $"s3a://{bucket}/{key}";
                uploads.Add(new PendingUpload(path, bucket, key, uri));
                byPath[path] = uri;
            }
            uriOf = e => byPath[e.LocalPath!];
        }

        string Resolved(Entry e)
        {
            var uri = e.LocalPath is null ? e.Given : uriOf(e);
            return e.Fragment is null ? uri : $"{uri}#{e.Fragment}";
        }
        // BasicDriverFeatureStep.getAdditionalPodSystemProperties: once local entries of a list are resolved,
        // the list becomes the resolved local entries followed by the remote ones.
        List<string> ListOf(params Role[] roles)
        {
            var members = entries.Where(e => roles.Contains(e.Role) && (e.Role != Role.Main || !spec.IsPython))
                .OrderBy(e => e.Role == Role.Main ? 1 : 0).ToList();
            var ordered = members.Any(m => m.LocalPath is not null)
                ? members.Where(m => m.LocalPath is not null).Concat(members.Where(m => m.LocalPath is null))
                : members;
            return ordered.Select(Resolved).ToList();
        }

        var main = entries[0];
        var mainResource = spec.IsPython || main.LocalPath is null ? Resolved(main) : SparkDependencies.NoResource;
        var sources = new SparkAppSources(mainResource, ListOf(Role.PyFile), shipped)
        {
            // SparkSubmit appends the primary jar after --jars.
            Jars = ListOf(Role.Jar, Role.Main),
            Files = ListOf(Role.File),
            Archives = ListOf(Role.Archive),
        };
        return new SparkFileShipping(sources, uploads);
    }

    /// <summary>Reads a checked local file; one changed since the check (removed, made unreadable) is still bad input.</summary>
    private static byte[] ReadLocal(string path, string flag)
    {
        try
        {
            return File.ReadAllBytes(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new InvalidInputException(flag, $"{path} cannot be read ({e.Message})");
        }
    }

    private static (string Bucket, string Prefix) ParseUploadPath(string uploadPath)
    {
        if (!uploadPath.StartsWith("s3a://", StringComparison.Ordinal) && !uploadPath.StartsWith("s3://", StringComparison.Ordinal))
            throw new InvalidInputException("spark.fileUploadPath", $"'{uploadPath}' is not an s3a:// location");
        var rest = uploadPath[(uploadPath.IndexOf("://", StringComparison.Ordinal) + 3)..].TrimEnd('/');
        var slash = rest.IndexOf('/');
        return slash < 0 ? (rest, "") : (rest[..slash], rest[(slash + 1)..] + "/");
    }
}
