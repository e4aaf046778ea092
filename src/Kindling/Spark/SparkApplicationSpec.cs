namespace Kindling.Spark;

/// <summary>
/// A Spark application to run in cluster mode: what <c>spark-submit</c> takes on its command line. Unset
/// sizes fall back to <c>--conf</c> values and then to the environment's <c>spark.executors</c> /
/// <c>spark.driver</c> defaults.
/// </summary>
public sealed record SparkApplicationSpec
{
    /// <summary>
    /// The application: a local path (<c>app.py</c>, <c>build/app.jar</c>) that Kindling ships, or a URI the
    /// driver can read itself (<c>local:///opt/app.py</c> inside the image, <c>s3a://</c>, <c>https://</c>).
    /// A <c>.py</c> resource makes a Python application.
    /// </summary>
    public required string Resource { get; init; }

    /// <summary>The main class (<c>--class</c>); required for JVM applications, ignored for Python ones.</summary>
    public string? MainClass { get; init; }

    /// <summary>The application name (<c>--name</c>, <c>spark.app.name</c>); defaults as spark-submit does.</summary>
    public string? Name { get; init; }

    /// <summary>Arguments passed to the application.</summary>
    public IReadOnlyList<string> Arguments { get; init; } = [];

    /// <summary>Extra Spark configuration (<c>--conf k=v</c>).</summary>
    public IReadOnlyDictionary<string, string> Conf { get; init; } = new Dictionary<string, string>();

    /// <summary><c>spark.executor.instances</c> (<c>--executors</c>).</summary>
    public int? Executors { get; init; }

    /// <summary><c>spark.executor.memory</c>, a JVM memory string (<c>--executor-memory</c>).</summary>
    public string? ExecutorMemory { get; init; }

    /// <summary><c>spark.executor.cores</c> (<c>--executor-cores</c>).</summary>
    public int? ExecutorCores { get; init; }

    /// <summary><c>spark.driver.memory</c>, a JVM memory string (<c>--driver-memory</c>).</summary>
    public string? DriverMemory { get; init; }

    /// <summary><c>spark.driver.cores</c> (<c>--driver-cores</c>).</summary>
    public int? DriverCores { get; init; }

    /// <summary>Python dependencies (<c>--py-files</c>): local paths or URIs, as for <see cref="Resource"/>.</summary>
    public IReadOnlyList<string> PyFiles { get; init; } = [];

    /// <summary>Extra jars (<c>--jars</c>, <c>spark.jars</c>): local paths (shipped) or URIs.</summary>
    public IReadOnlyList<string> Jars { get; init; } = [];

    /// <summary>Files placed in every container's working directory (<c>--files</c>, <c>spark.files</c>).</summary>
    public IReadOnlyList<string> Files { get; init; } = [];

    /// <summary>
    /// Archives unpacked in every container's working directory (<c>--archives</c>, <c>spark.archives</c>), each
    /// optionally <c>path#alias</c>: <c>env.tar.gz#environment</c> is unpacked as <c>./environment</c>.
    /// </summary>
    public IReadOnlyList<string> Archives { get; init; } = [];

    /// <summary>Maven coordinates <c>groupId:artifactId:version</c> the driver resolves (<c>--packages</c>, <c>spark.jars.packages</c>).</summary>
    public IReadOnlyList<string> Packages { get; init; } = [];

    /// <summary>Extra Maven repositories for <see cref="Packages"/> (<c>--repositories</c>, <c>spark.jars.repositories</c>).</summary>
    public IReadOnlyList<string> Repositories { get; init; } = [];

    /// <summary><c>groupId:artifactId</c> left out when resolving <see cref="Packages"/> (<c>--exclude-packages</c>, <c>spark.jars.excludes</c>).</summary>
    public IReadOnlyList<string> ExcludePackages { get; init; } = [];

    /// <summary>Extra JVM options of the driver (<c>--driver-java-options</c>, <c>spark.driver.extraJavaOptions</c>).</summary>
    public string? DriverJavaOptions { get; init; }

    /// <summary>Whether this is a PySpark application (the resource is a <c>.py</c> file).</summary>
    public bool IsPython => SparkResource.FileName(Resource).EndsWith(".py", StringComparison.OrdinalIgnoreCase);

    /// <summary>
    /// The name Spark will use: <see cref="Name"/>, else <c>spark.app.name</c> from <see cref="Conf"/>, else
    /// the Python file's name or the main class, as spark-submit defaults it.
    /// </summary>
    public string EffectiveName =>
        Name ?? (Conf.TryGetValue(SparkConfKeys.AppName, out var fromConf) ? fromConf : null)
             ?? (IsPython ? SparkResource.FileName(Resource) : MainClass ?? SparkResource.FileName(Resource));

    /// <summary>Every problem with the spec, located by the spark-submit flag it came from; empty when valid.</summary>
    public IReadOnlyList<InputError> Validate() => SparkApplicationValidator.Validate(this);
}
