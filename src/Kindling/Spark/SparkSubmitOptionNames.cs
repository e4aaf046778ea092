namespace Kindling.Spark;

/// <summary>
/// spark-submit's option names (<c>SparkSubmitOptionParser</c>). Like spark-submit, Kindling passes everything
/// after the application to the application; one of these landing there is most likely a misplaced option.
/// </summary>
public static class SparkSubmitOptionNames
{
    private static readonly HashSet<string> Names = new(StringComparer.Ordinal)
    {
        "--archives", "--class", "--conf", "-c", "--deploy-mode", "--driver-class-path", "--driver-cores",
        "--driver-java-options", "--driver-library-path", "--driver-memory", "--executor-cores", "--executor-memory",
        "--exclude-packages", "--files", "--jars", "--keytab", "--master", "--name", "--num-executors", "--packages",
        "--principal", "--properties-file", "--proxy-user", "--py-files", "--queue", "--repositories", "--supervise",
        "--total-executor-cores", "--verbose", "-v",
        // Kindling's own submit options.
        "--executors", "--wait", "--follow", "--dry-run",
    };

    /// <summary>Warnings for application arguments that are spark-submit options, each naming the option.</summary>
    public static IReadOnlyList<string> MisplacedIn(SparkApplicationSpec spec) => spec.Arguments
        .Select(a => a.Split('=', 2)[0])
        .Where(Names.Contains)
        .Distinct(StringComparer.Ordinal)
        .Select(o => $"{o} comes after the application {spec.Resource}, so it is passed to the application as an argument " +
                     $"(as spark-submit does); to use it as a submit option, put it before {spec.Resource}")
        .ToList();
}
