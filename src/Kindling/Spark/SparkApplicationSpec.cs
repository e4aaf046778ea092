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
