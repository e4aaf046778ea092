namespace Kindling.Spark;

/// <summary>A local file Kindling ships to the driver inside a ConfigMap.</summary>
/// <param name="Name">Its file name in <see cref="SparkConventions.ShippedFilesDir"/> (a ConfigMap key).</param>
/// <param name="Content">Its bytes.</param>
public sealed record ShippedFile(string Name, byte[] Content);

/// <summary>The application's resources as the driver will see them, after local files were shipped.</summary>
/// <param name="MainResource">The resource URI on the driver's command line.</param>
/// <param name="PyFiles">URIs for <c>spark.submit.pyFiles</c>.</param>
/// <param name="ShippedFiles">Files that go into the driver's files ConfigMap; empty when nothing is shipped that way.</param>
public sealed record SparkAppSources(string MainResource, IReadOnlyList<string> PyFiles, IReadOnlyList<ShippedFile> ShippedFiles)
{
    /// <summary>Largest total size shipped in a ConfigMap; the API server caps an object at about 1.5 MiB.</summary>
    public const long ConfigMapLimitBytes = 1024 * 1024;

    /// <summary>Resources used as given: every one is a URI the driver resolves itself.</summary>
    public static SparkAppSources AsGiven(SparkApplicationSpec spec) => new(spec.Resource, spec.PyFiles, []);

    /// <summary>
    /// Local files mounted from the files ConfigMap. The main resource becomes <c>local://</c>: it is run on the
    /// driver only. Python dependencies become <c>file://</c> paths on the driver, so its file server hands
    /// them to executors, which do not mount the ConfigMap.
    /// </summary>
    public static SparkAppSources Shipped(ShippedFile main, IReadOnlyList<ShippedFile> pyFiles) => new(
        $"local://{SparkConventions.ShippedFilesDir}/{main.Name}",
        pyFiles.Select(f => $"file://{SparkConventions.ShippedFilesDir}/{f.Name}").ToList(),
        [main, .. pyFiles]);
}
