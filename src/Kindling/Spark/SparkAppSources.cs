namespace Kindling.Spark;

/// <summary>A local file Kindling ships to the driver inside a ConfigMap.</summary>
/// <param name="Name">Its file name in <see cref="SparkConventions.ShippedFilesDir"/> (a ConfigMap key).</param>
/// <param name="Content">Its bytes.</param>
public sealed record ShippedFile(string Name, byte[] Content);

/// <summary>
/// The application's resources as the driver will see them, after local files were shipped: the resource
/// argument of the driver's command line and the URIs written to <c>spark.jars</c>, <c>spark.files</c>,
/// <c>spark.archives</c> and <c>spark.submit.pyFiles</c>.
/// </summary>
/// <param name="MainResource">
/// The resource argument, as Spark's <c>DriverCommandFeatureStep</c> passes it: a Python file's URI, a remote
/// jar's URI, or <see cref="SparkDependencies.NoResource"/> for a local jar (it travels in <c>spark.jars</c>).
/// </param>
/// <param name="PyFiles">URIs for <c>spark.submit.pyFiles</c>.</param>
/// <param name="ShippedFiles">Files that go into the driver's files ConfigMap; empty when nothing is shipped that way.</param>
public sealed record SparkAppSources(string MainResource, IReadOnlyList<string> PyFiles, IReadOnlyList<ShippedFile> ShippedFiles)
{
    /// <summary>Largest total size shipped in a ConfigMap; the API server caps an object at about 1.5 MiB.</summary>
    public const long ConfigMapLimitBytes = 1024 * 1024;

    /// <summary>
    /// <c>spark.jars</c> in Spark's order, the primary jar of a JVM application included with a URI executors can
    /// fetch (<c>SparkSubmit.prepareSubmitEnvironment</c> appends it; <c>BasicDriverFeatureStep</c> puts the
    /// uploaded local entries before the remote ones).
    /// </summary>
    public IReadOnlyList<string> Jars { get; init; } = [];

    /// <summary><c>spark.files</c>.</summary>
    public IReadOnlyList<string> Files { get; init; } = [];

    /// <summary><c>spark.archives</c>, <c>#alias</c> fragments kept.</summary>
    public IReadOnlyList<string> Archives { get; init; } = [];

    /// <summary>Resources used as given: every one is a URI the driver resolves itself.</summary>
    public static SparkAppSources AsGiven(SparkApplicationSpec spec)
    {
        var (deps, _) = SparkDependencies.Of(spec);
        var jars = deps.Jars.Select(j => j.Uri).ToList();
        if (!spec.IsPython) jars.Add(spec.Resource);
        return new SparkAppSources(spec.Resource, deps.PyFiles.Select(p => p.Uri).ToList(), [])
        {
            Jars = jars,
            Files = deps.Files.Select(f => f.Uri).ToList(),
            Archives = deps.Archives.Select(a => a.Uri).ToList(),
        };
    }

    /// <summary>
    /// A main file and Python dependencies mounted from the files ConfigMap. A Python main file becomes
    /// <c>local://</c> (run on the driver only); a jar becomes <see cref="SparkDependencies.NoResource"/> with a
    /// <c>file://</c> entry in <c>spark.jars</c>, so the driver's file server hands it to executors, which do
    /// not mount the ConfigMap. Dependencies become <c>file://</c> paths for the same reason.
    /// </summary>
    public static SparkAppSources Shipped(ShippedFile main, IReadOnlyList<ShippedFile> pyFiles)
    {
        var isJar = !main.Name.EndsWith(".py", StringComparison.OrdinalIgnoreCase);
        return new SparkAppSources(
            isJar ? SparkDependencies.NoResource : ShippedMain(main.Name),
            pyFiles.Select(f => ShippedDependency(f.Name)).ToList(),
            [main, .. pyFiles])
        {
            Jars = isJar ? [ShippedDependency(main.Name)] : [],
        };
    }

    /// <summary>A shipped Python main file: read by the driver only, from the ConfigMap mount.</summary>
    public static string ShippedMain(string name) => $"local://{SparkConventions.ShippedFilesDir}/{name}";

    /// <summary>
    /// A shipped dependency: a <c>file://</c> path on the driver. The driver's spark-submit copies it to its
    /// working directory and <c>SparkContext</c> serves it to executors; a <c>local://</c> URI would make
    /// executors look for a file that exists only in the driver's ConfigMap mount.
    /// </summary>
    public static string ShippedDependency(string name) => $"file://{SparkConventions.ShippedFilesDir}/{name}";
}
