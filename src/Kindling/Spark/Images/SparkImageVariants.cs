using System.Globalization;

namespace Kindling.Spark.Images;

/// <summary>One official <c>apache/spark</c> image: <c>&lt;spark&gt;-scala&lt;scala&gt;-java&lt;java&gt;-python3-ubuntu</c>.</summary>
/// <param name="SparkVersion">The Spark release.</param>
/// <param name="ScalaVersion">Scala binary version.</param>
/// <param name="JavaVersion">Java major version.</param>
/// <param name="Ubuntu">The Ubuntu release under its eclipse-temurin base.</param>
/// <param name="PythonVersion">The <c>python3</c> that Ubuntu release's apt installs (the image runs <c>apt-get install python3</c>).</param>
public sealed record SparkImageVariant(string SparkVersion, string ScalaVersion, int JavaVersion, string Ubuntu, string PythonVersion)
{
    /// <summary>The Docker Hub tag.</summary>
    public string Tag => $"{SparkVersion}-scala{ScalaVersion}-java{JavaVersion.ToString(CultureInfo.InvariantCulture)}-python3-ubuntu";
}

/// <summary>One Spark release line Kindling supports, with what its official images and distribution contain.</summary>
/// <param name="Line">major.minor.</param>
/// <param name="Patches">The patch releases apache/spark-docker publishes images for.</param>
/// <param name="ScalaVersion">The one Scala build of the official images.</param>
/// <param name="JavaVersions">The Java majors of the official images.</param>
/// <param name="Connector">The Hadoop inside the <c>-bin-hadoop3</c> distribution and its S3A connector.</param>
/// <param name="Python">PySpark's declared minimums and the pandas/pyarrow/numpy Kindling installs.</param>
public sealed record SparkReleaseLine(
    string Line,
    IReadOnlyList<int> Patches,
    string ScalaVersion,
    IReadOnlyList<int> JavaVersions,
    S3aConnector Connector,
    PythonLibraries Python);

/// <summary>
/// The one table of Spark versions and official image variants (Spark/ owns Spark's facts). Facts, checked against
/// their sources:
/// <list type="bullet">
/// <item>images and tags: apache/spark-docker <c>versions.json</c> and its <c>&lt;version&gt;/scala*-java*-python3-ubuntu</c>
/// directories: 3.5.0–3.5.8 (Scala 2.12, Java 11 and 17), 4.0.0–4.0.3 and 4.1.0–4.1.2 (Scala 2.13, Java 17 and 21);</item>
/// <item>Python: the python3 variants <c>apt-get install python3</c> on their base image; the Java 17/21 bases are
/// <c>eclipse-temurin:*-jammy</c> (Ubuntu 22.04, Python 3.10), and the Java 11 base of 3.5.0–3.5.6 is
/// <c>eclipse-temurin:11-jre-focal</c> (Ubuntu 20.04, Python 3.8), moved to <c>11-jammy</c> from 3.5.7;</item>
/// <item>Hadoop: <c>hadoop.version</c> in Spark's root pom.xml: 3.3.4 on branch-3.5, 3.4.1 for 4.0, 3.4.2 for 4.1.</item>
/// </list>
/// </summary>
public static class SparkImageVariants
{
    /// <summary>The default: the newest 3.5.x, Scala 2.12, Java 17 (the 3.5 images' newest Java).</summary>
    public const string DefaultSparkVersion = "3.5.8";

    /// <summary>Default Scala of <see cref="DefaultSparkVersion"/>.</summary>
    public const string DefaultScalaVersion = "2.12";

    /// <summary>Default Java of <see cref="DefaultSparkVersion"/>.</summary>
    public const int DefaultJavaVersion = 17;

    /// <summary>Python of the default image (Ubuntu 22.04).</summary>
    public const string DefaultPythonVersion = "3.10";

    /// <summary>Every supported line, oldest first.</summary>
    public static IReadOnlyList<SparkReleaseLine> Lines { get; } =
    [
        new("3.5", [0, 1, 2, 3, 4, 5, 6, 7, 8], "2.12", [11, 17], S3aConnector.Hadoop334, PythonLibraries.Spark35),
        new("4.0", [0, 1, 2, 3], "2.13", [17, 21], S3aConnector.Hadoop341, PythonLibraries.Spark4),
        new("4.1", [0, 1, 2], "2.13", [17, 21], S3aConnector.Hadoop342, PythonLibraries.Spark4),
    ];

    /// <summary>The line of <paramref name="sparkVersion"/>, or null when it is not a supported release.</summary>
    public static SparkReleaseLine? LineOf(string sparkVersion)
    {
        var parts = sparkVersion.Split('.');
        if (parts.Length != 3 || !int.TryParse(parts[2], NumberStyles.None, CultureInfo.InvariantCulture, out var patch)) return null;
        var line = Lines.FirstOrDefault(l => l.Line == $"{parts[0]}.{parts[1]}");
        return line is not null && line.Patches.Contains(patch) && parts[2] == patch.ToString(CultureInfo.InvariantCulture) ? line : null;
    }

    /// <summary>The official image for a combination, or null when apache/spark publishes none.</summary>
    public static SparkImageVariant? Find(string sparkVersion, string scalaVersion, int javaVersion)
    {
        var line = LineOf(sparkVersion);
        if (line is null || line.ScalaVersion != scalaVersion || !line.JavaVersions.Contains(javaVersion)) return null;
        var ubuntu = Ubuntu(sparkVersion, javaVersion);
        return new SparkImageVariant(sparkVersion, scalaVersion, javaVersion, ubuntu, ubuntu == "20.04" ? "3.8" : "3.10");
    }

    /// <summary>Every supported release, e.g. for an error message: <c>3.5.0–3.5.8, 4.0.0–4.0.3, 4.1.0–4.1.2</c>.</summary>
    public static string SupportedReleases =>
        string.Join(", ", Lines.Select(l => $"{l.Line}.{l.Patches[0]}–{l.Line}.{l.Patches[^1]}"));

    // Only the Java 11 images of 3.5.0–3.5.6 are built on eclipse-temurin:11-jre-focal; every other variant is jammy.
    private static string Ubuntu(string sparkVersion, int javaVersion) =>
        javaVersion == 11 && LineOf(sparkVersion)?.Line == "3.5" && int.Parse(sparkVersion.Split('.')[2], CultureInfo.InvariantCulture) <= 6
            ? "20.04"
            : "22.04";
}
