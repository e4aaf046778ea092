using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Kindling.Configuration;

namespace Kindling.Spark.Verify;

/// <summary>
/// The Spark programs <c>kindling verify</c> runs, and how their output is read. Pi is the seed's computation:
/// <c>n = 100000 × partitions</c> darts over <c>partitions</c> tasks, as Spark's own examples (<c>pi.py</c>,
/// <c>SparkPi.scala</c>) do it.
/// </summary>
public static partial class VerifyPrograms
{
    /// <summary>Partitions, and executors, of every Pi run.</summary>
    public const int Partitions = 2;

    /// <summary>
    /// How far an estimate may be from π: with 200 000 darts one standard error of 4·hits/n is
    /// 4·√(π/4·(1−π/4)/200000) ≈ 0.0037, so 0.02 is over 5 standard errors: a correct run fails it about once in
    /// ten million, a broken one (wrong partitioning, lost tasks, a constant) does not pass it.
    /// </summary>
    public const double PiTolerance = 0.02;

    /// <summary>Rows of the Parquet round trip.</summary>
    public const int ParquetRows = 1000;

    /// <summary>The prefix of the notebook stage's one JSON line.</summary>
    public const string NotebookMarker = "KINDLING-VERIFY ";

    /// <summary>The submitted PySpark Pi job.</summary>
    public static string PiPython { get; } = ReadResource("verify_pi.py");

    /// <summary>The Parquet round trip job: arguments path, rows, <c>keep</c>|<c>delete</c>.</summary>
    public static string ParquetPython { get; } = ReadResource("verify_parquet.py");

    private static readonly string NotebookTemplate = ReadResource("notebook_pi.py");

    /// <summary>
    /// The kernel code of the notebook stage: a session named <paramref name="appName"/> with exactly
    /// <see cref="Partitions"/> executors (static allocation) and <paramref name="extraConf"/>.
    /// </summary>
    public static string NotebookCell(string appName, IReadOnlyDictionary<string, string> extraConf)
    {
        ArgumentNullException.ThrowIfNull(extraConf);
        var conf = new JsonObject
        {
            ["spark.app.name"] = appName,
            ["spark.executor.instances"] = Partitions.ToString(CultureInfo.InvariantCulture),
            ["spark.dynamicAllocation.enabled"] = "false",
        };
        foreach (var (key, value) in extraConf) conf[key] = value;
        // A JSON object of strings is also a Python dict literal.
        return NotebookTemplate.Replace("__PARTITIONS__", Partitions.ToString(CultureInfo.InvariantCulture), StringComparison.Ordinal)
            .Replace("__CONF__", conf.ToJsonString(), StringComparison.Ordinal);
    }

    /// <summary>The kernel code that ends the session, so Spark deletes its executor pods.</summary>
    public const string StopCell = "spark.stop()\nprint(\"KINDLING-VERIFY stopped\")\n";

    /// <summary>
    /// Spark's SparkPi in the image's examples jar. apache/spark-docker's Dockerfiles copy the distribution's
    /// <c>examples/</c> to <c>/opt/spark/examples</c>, and the jar is named <c>spark-examples_&lt;scala&gt;-&lt;spark&gt;.jar</c>
    /// (the URI Spark's "Running on Kubernetes" page and spark-operator's spark-pi example use).
    /// </summary>
    public static (string MainClass, string Resource) SparkPi(SparkSpec spark)
    {
        ArgumentNullException.ThrowIfNull(spark);
        return ("org.apache.spark.examples.SparkPi", $"local:///opt/spark/examples/jars/spark-examples_{spark.ScalaVersion}-{spark.Version}.jar");
    }

    /// <summary>The estimate in a driver log: both pi.py and SparkPi print <c>Pi is roughly &lt;value&gt;</c>.</summary>
    public static double? PiFromLog(IEnumerable<string> lines)
    {
        ArgumentNullException.ThrowIfNull(lines);
        foreach (var line in lines)
        {
            var match = PiLine().Match(line);
            if (match.Success && double.TryParse(match.Groups[1].Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var value)) return value;
        }
        return null;
    }

    /// <summary>A <c>KINDLING-VERIFY key=value</c> line of the Parquet job.</summary>
    public static string? Reported(IEnumerable<string> lines, string key)
    {
        ArgumentNullException.ThrowIfNull(lines);
        var prefix = $"{NotebookMarker}{key}=";
        return lines.Select(l => l.Trim()).LastOrDefault(l => l.StartsWith(prefix, StringComparison.Ordinal))?[prefix.Length..];
    }

    [GeneratedRegex(@"Pi is roughly (-?[0-9]+(?:\.[0-9]+)?(?:[eE][-+]?[0-9]+)?)")]
    private static partial Regex PiLine();

    private static string ReadResource(string fileName)
    {
        var name = $"Kindling.Spark.Verify.{fileName}";
        using var stream = typeof(VerifyPrograms).Assembly.GetManifestResourceStream(name)
                           ?? throw new InvalidOperationException($"embedded resource {name} is missing");
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd().Replace("\r\n", "\n", StringComparison.Ordinal);
    }
}
